/** `npm run readme`: regenerates the rules table in README.md from rule metadata. */
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../src/package-info.js";
import { replaceTable } from "../src/rules-table.js";

const file = path.join(PACKAGE_ROOT, "README.md");
fs.writeFileSync(file, replaceTable(fs.readFileSync(file, "utf8")));
console.log("README.md rules table updated");
