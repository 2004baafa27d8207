// Copies the repository's prompt-file schema into the extension (schemas/), so it is packaged in the
// .vsix without being committed twice. Run by `vscode:prepublish` (which `vsce package` runs).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const from = path.resolve(__dirname, '..', '..', '..', 'schemas', 'prompts.schema.json');
const to = path.resolve(__dirname, '..', 'schemas', 'prompts.schema.json');
if (!fs.existsSync(from)) {
  if (fs.existsSync(to)) process.exit(0); // building from a copy of the extension folder alone
  console.error(`copy-schema: ${from} is missing`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.copyFileSync(from, to);
JSON.parse(fs.readFileSync(to, 'utf8'));
console.log(`copy-schema: ${path.relative(process.cwd(), to)}`);
