import { LabError } from './exec.js';

/** modules.dep parsed: module name → its path and the names of the modules it needs. */
export type ModuleGraph = ReadonlyMap<string, { readonly path: string; readonly deps: readonly string[] }>;

/** "kernel/drivers/scsi/sd_mod.ko.xz" → "sd_mod" (depmod names modules by file, '-' and '_' alike). */
export function moduleName(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.replace(/\.ko(\.(xz|zst|gz))?$/u, '').replace(/-/gu, '_');
}

export function parseModulesDep(text: string): ModuleGraph {
  const graph = new Map<string, { path: string; deps: string[] }>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const path = line.slice(0, colon).trim();
    const deps = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/u)
      .filter(Boolean)
      .map(moduleName);
    graph.set(moduleName(path), { path, deps });
  }
  return graph;
}

/**
 * The modules to insmod, dependencies first, each once. Unknown names are an error: a module the
 * kernel build has as built-in never appears in modules.dep, so callers pass only real modules.
 */
export function loadOrder(graph: ModuleGraph, wanted: readonly string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: readonly string[]): void => {
    const key = name.replace(/-/gu, '_');
    const s = state.get(key);
    if (s === 'done') return;
    if (s === 'visiting') throw new LabError(`module dependency cycle: ${[...chain, key].join(' → ')}`);
    const node = graph.get(key);
    if (node === undefined) throw new LabError(`module ${key} is not in modules.dep`);
    state.set(key, 'visiting');
    for (const dep of node.deps) visit(dep, [...chain, key]);
    state.set(key, 'done');
    order.push(key);
  };
  for (const name of wanted) visit(name, []);
  return order;
}
