// Writes a Brotli (.br) and a gzip (.gz) copy beside every script, style sheet, WebAssembly
// module and JSON file under the given directories, which the server sends to browsers that
// accept them (tower-http's ServeDir with its precompressed variants). Compressing once at
// build time, at the highest levels, costs the server nothing per request and makes the
// files smaller than on-the-fly compression would. Copies that are newer than their file
// are kept; copies whose file is gone are deleted.
//
// Usage: node scripts/compress.mjs DIR...
import { existsSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(?:wasm|js|mjs|css|json)$/;
const COPIES = {
  ".br": (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  ".gz": (bytes) => gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }),
};

function filesUnder(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

let written = 0;
for (const directory of process.argv.slice(2)) {
  for (const path of filesUnder(directory)) {
    const suffix = Object.keys(COPIES).find((ending) => path.endsWith(ending));
    if (suffix) {
      const original = path.slice(0, -suffix.length);
      if (!existsSync(original)) unlinkSync(path);
      continue;
    }
    if (!COMPRESSIBLE.test(path)) continue;
    const modified = statSync(path).mtimeMs;
    let bytes;
    for (const [ending, compress] of Object.entries(COPIES)) {
      const copy = path + ending;
      if (existsSync(copy) && statSync(copy).mtimeMs >= modified) continue;
      bytes ??= readFileSync(path);
      writeFileSync(copy, compress(bytes));
      written += 1;
    }
  }
}
console.log(`compress: ${written} copies written`);
