// Copies Leaflet's browser files into public/vendor/leaflet/ (git-ignored), which
// scripts/build copies into the site. leaflet-rs binds to the global `L`, so Leaflet must
// be served as a classic <script>, and nothing third-party is committed.
// Runs as npm's postinstall; scripts/lib.sh also runs it when the folder is missing.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(root, "node_modules", "leaflet", "dist");
const to = join(root, "public", "vendor", "leaflet");

// Start empty so files of a previous Leaflet version cannot linger.
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const file of ["leaflet.js", "leaflet.css"]) {
  cpSync(join(from, file), join(to, file));
}
// Marker icons: leaflet.css refers to them relative to its own location.
cpSync(join(from, "images"), join(to, "images"), { recursive: true });
console.log(`copied Leaflet into ${to}`);
