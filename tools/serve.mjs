// A tiny static file server for the site (no dependencies):
//   node tools/serve.mjs --root dist --host 127.0.0.1 --port 8000   (what `make serve` runs)
// GET/HEAD only, correct MIME types (incl. application/wasm, which streaming
// compilation requires), index.html for directories, no path escapes outside --root.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.ico': 'image/x-icon',
  '.webp': 'image/webp', '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
  '.py': 'text/x-python; charset=utf-8', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.ttf': 'font/ttf', '.xml': 'application/xml', '.webmanifest': 'application/manifest+json',
};

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const root = path.resolve(option('root', 'web'));
const host = option('host', '127.0.0.1');
const port = Number(option('port', '8000'));
// --base /pyframes/ serves root under that sub-path only (as GitHub Pages does).
const base = ('/' + option('base', '/').replace(/^\/+|\/+$/g, '') + '/').replace(/^\/\/$/, '/');

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Maps a URL path to a file under root, or null if it escapes root. */
function resolve(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  if (base !== '/') {
    if ((req.url || '/').split('?')[0] === base.slice(0, -1)) {
      res.writeHead(301, { Location: base });
      return res.end();
    }
    if (!(req.url || '/').startsWith(base)) return send(res, 404, `not found: ${req.url}\n`);
    req.url = req.url.slice(base.length - 1);
  }
  let file = resolve(req.url || '/');
  if (!file) return send(res, 403, 'forbidden\n');
  let stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    if (!req.url.split('?')[0].endsWith('/')) {
      res.writeHead(301, { Location: base.slice(0, -1) + req.url.split('?')[0] + '/' });
      return res.end();
    }
    file = path.join(file, 'index.html');
    stat = fs.statSync(file, { throwIfNoEntry: false });
  }
  if (!stat?.isFile()) return send(res, 404, `not found: ${req.url}\n`);
  const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': stat.size, 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(file).pipe(res);
});

if (!fs.existsSync(root)) console.warn(`serve: ${root} does not exist yet; every request will be 404`);
server.listen(port, host, () => {
  console.log(`serving ${path.relative(process.cwd(), root) || '.'}/ at http://${host}:${server.address().port}${base} (Ctrl-C to stop)`);
});
