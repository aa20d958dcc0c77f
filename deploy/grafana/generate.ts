/**
 * `npm run deploy:grafana`: write the dashboards of dashboards.ts as JSON into
 * deploy/grafana/dashboards/, where the provisioning file points Grafana. The output is committed;
 * a test fails when it differs from what this writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboards, dashboardJson } from './dashboards.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dashboards');
fs.mkdirSync(dir, { recursive: true });
for (const { file, dashboard } of buildDashboards()) {
  fs.writeFileSync(path.join(dir, file), dashboardJson(dashboard));
  process.stdout.write(`${path.join(dir, file)}\n`);
}
