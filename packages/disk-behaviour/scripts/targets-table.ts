// Prints docs/targets.md (the target differences table) from the catalog and the deviations table:
//   pnpm exec tsx packages/disk-behaviour/scripts/targets-table.ts > docs/targets.md
import { renderTargetsTable } from '../src/table.js';

process.stdout.write(renderTargetsTable());
