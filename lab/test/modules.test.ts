import { describe, expect, it } from 'vitest';
import { baseModules, initScript, modulesFor } from '../src/guest.js';
import { loadOrder, moduleName, parseModulesDep } from '../src/modules.js';
import { PROFILES } from '../src/profiles.js';

// An excerpt of the real modules.dep of Debian's 7.3.4 kernel (depmod output).
const MODULES_DEP = `kernel/fs/9p/9p.ko.xz: kernel/net/9p/9pnet.ko.xz kernel/fs/netfs/netfs.ko.xz
kernel/net/9p/9pnet.ko.xz:
kernel/fs/netfs/netfs.ko.xz:
kernel/net/9p/9pnet_virtio.ko.xz: kernel/net/9p/9pnet.ko.xz kernel/fs/netfs/netfs.ko.xz
kernel/drivers/scsi/scsi_common.ko.xz:
kernel/drivers/scsi/scsi_mod.ko.xz: kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/sg.ko.xz: kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/sd_mod.ko.xz: kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/virtio_scsi.ko.xz: kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/scsi_debug.ko.xz: kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/fs/configfs/configfs.ko.xz:
kernel/drivers/target/target_core_mod.ko.xz: kernel/fs/configfs/configfs.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/target/target_core_file.ko.xz: kernel/drivers/target/target_core_mod.ko.xz kernel/fs/configfs/configfs.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/target/loopback/tcm_loop.ko.xz: kernel/drivers/target/target_core_mod.ko.xz kernel/fs/configfs/configfs.ko.xz kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/crypto/crc-t10dif.ko.xz:
kernel/drivers/ata/ahci.ko.xz: kernel/drivers/ata/libahci.ko.xz kernel/drivers/ata/libata.ko.xz kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/ata/libahci.ko.xz: kernel/drivers/ata/libata.ko.xz kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/ata/libata.ko.xz: kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/iscsi_tcp.ko.xz: kernel/drivers/scsi/libiscsi_tcp.ko.xz kernel/drivers/scsi/libiscsi.ko.xz kernel/drivers/scsi/scsi_transport_iscsi.ko.xz kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/libiscsi_tcp.ko.xz: kernel/drivers/scsi/libiscsi.ko.xz kernel/drivers/scsi/scsi_transport_iscsi.ko.xz kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/libiscsi.ko.xz: kernel/drivers/scsi/scsi_transport_iscsi.ko.xz kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/scsi_transport_iscsi.ko.xz: kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/target/iscsi/iscsi_target_mod.ko.xz: kernel/drivers/target/target_core_mod.ko.xz kernel/fs/configfs/configfs.ko.xz kernel/drivers/scsi/scsi_common.ko.xz
`;

describe('modules.dep', () => {
  const graph = parseModulesDep(MODULES_DEP);

  it('names modules the way depmod does', () => {
    expect(moduleName('kernel/crypto/crc-t10dif.ko.xz')).toBe('crc_t10dif');
    expect(moduleName('kernel/drivers/scsi/sd_mod.ko')).toBe('sd_mod');
    expect(graph.get('9p')?.deps).toEqual(['9pnet', 'netfs']);
  });

  it('orders each module after everything it needs, each once', () => {
    const order = loadOrder(graph, ['sd_mod', 'sg', 'tcm_loop']);
    expect(order).toEqual([
      'scsi_common',
      'scsi_mod',
      'sd_mod',
      'sg',
      'configfs',
      'target_core_mod',
      'tcm_loop',
    ]);
    expect(loadOrder(graph, ['crc-t10dif'])).toEqual(['crc_t10dif']);
  });

  it('refuses unknown modules and dependency cycles', () => {
    expect(() => loadOrder(graph, ['nonexistent'])).toThrowError(/nonexistent is not in modules.dep/);
    const cyclic = parseModulesDep('a.ko: b.ko\nb.ko: a.ko\n');
    expect(() => loadOrder(cyclic, ['a'])).toThrowError(/cycle/);
  });

  it('covers every profile of the current kernel and writes one insmod per module', () => {
    const profiles = Object.values(PROFILES).filter((p) => p.kernel === 'current');
    const mods = modulesFor(graph, profiles);
    for (const m of ['9pnet_virtio', 'scsi_debug', 'virtio_scsi', 'tcm_loop', 'target_core_file'])
      expect(mods).toContain(m);
    const init = initScript(graph, profiles);
    expect(init.startsWith('#!/bin/busybox sh\n')).toBe(true);
    expect(init).toContain('insmod /lib/modules/scsi_debug.ko dev_size_mb=256 delay=0');
    for (const p of profiles) expect(init).toContain(`  '${p.name}')`);
    // Base modules are loaded once, before the profile switch.
    expect(init.match(/insmod \/lib\/modules\/scsi_mod\.ko/g)).toHaveLength(1);
  });
});

// An excerpt of Debian bookworm's 6.1 modules.dep: virtio's PCI transport and the CRC helpers
// scsi_debug needs are modules there.
const MODULES_DEP_6_1 = `kernel/drivers/virtio/virtio.ko:
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_pci_modern_dev.ko:
kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
kernel/net/9p/9pnet.ko:
kernel/net/9p/9pnet_virtio.ko: kernel/net/9p/9pnet.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
kernel/fs/netfs/netfs.ko:
kernel/fs/fscache/fscache.ko: kernel/fs/netfs/netfs.ko
kernel/fs/9p/9p.ko: kernel/net/9p/9pnet.ko kernel/fs/fscache/fscache.ko kernel/fs/netfs/netfs.ko
kernel/crypto/crct10dif_common.ko:
kernel/lib/crc-t10dif.ko: kernel/crypto/crct10dif_common.ko
kernel/drivers/scsi/scsi_common.ko:
kernel/drivers/scsi/scsi_mod.ko: kernel/drivers/scsi/scsi_common.ko
kernel/drivers/scsi/sg.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko
kernel/drivers/scsi/sd_mod.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko kernel/lib/crc-t10dif.ko kernel/crypto/crct10dif_common.ko
kernel/drivers/scsi/scsi_debug.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko kernel/lib/crc-t10dif.ko kernel/crypto/crct10dif_common.ko
`;

describe('the legacy 6.1 kernel', () => {
  const graph = parseModulesDep(MODULES_DEP_6_1);
  const legacy = Object.values(PROFILES).filter((p) => p.kernel === 'legacy');

  it('has a profile with one scsi_debug disk', () => {
    expect(legacy.map((p) => p.name)).toEqual(['legacy']);
    expect(legacy[0]).toMatchObject({ devices: 1, modules: [{ name: 'scsi_debug' }] });
  });

  it('loads virtio_pci where it is a module, and only there', () => {
    expect(baseModules(graph)[0]).toBe('virtio_pci');
    expect(baseModules(parseModulesDep(MODULES_DEP))).not.toContain('virtio_pci');
    const init = initScript(graph, legacy);
    const at = (m: string) => init.indexOf(`insmod /lib/modules/${m}.ko`);
    expect(at('virtio_pci')).toBeGreaterThan(0);
    expect(at('virtio_pci')).toBeLessThan(at('9pnet_virtio'));
    expect(initScript(parseModulesDep(MODULES_DEP), [])).not.toContain('virtio_pci');
  });

  it("loads scsi_debug's CRC dependencies before it", () => {
    const init = initScript(graph, legacy);
    const at = (m: string) => init.indexOf(`insmod /lib/modules/${m}.ko`);
    expect(at('crct10dif_common')).toBeGreaterThan(0);
    expect(at('crct10dif_common')).toBeLessThan(at('crc_t10dif'));
    expect(at('crc_t10dif')).toBeLessThan(at('scsi_debug'));
    expect(modulesFor(graph, legacy)).toEqual(
      expect.arrayContaining(['virtio_pci', 'crc_t10dif', 'scsi_debug']),
    );
  });
});
