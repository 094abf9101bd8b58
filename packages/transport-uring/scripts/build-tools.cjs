// What a source build of the addon needs, shared by the install step and loadNative's error.
'use strict';
const { existsSync } = require('node:fs');
const { join, delimiter } = require('node:path');

function onPath(command) {
  return (process.env.PATH || '').split(delimiter).some((d) => d !== '' && existsSync(join(d, command)));
}

/** Debian/Ubuntu package names of what is missing (Fedora/RHEL: gcc-c++, make, python3, liburing-devel). */
function missingBuildTools() {
  const missing = [];
  if (!onPath('g++') && !onPath('c++')) missing.push('g++');
  if (!onPath('make')) missing.push('make');
  if (!onPath('python3')) missing.push('python3');
  if (!['/usr/include', '/usr/local/include'].some((d) => existsSync(join(d, 'liburing.h')))) {
    missing.push('liburing-dev');
  }
  return missing;
}

module.exports = { missingBuildTools, onPath };
