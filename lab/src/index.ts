export { inLab, type LabDevice, type LabManifest, parseLabManifest, readLabManifest } from './manifest.js';
export { GUEST_MANIFEST_PATH, labCacheDir } from './paths.js';
export { PROFILES, type Profile } from './profiles.js';
