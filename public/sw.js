/*
 * Open Region (Открытый регион) — service worker.
 *
 * Goal: the app shell keeps working when a phone loses signal outdoors.
 * It is deliberately small and framework-free so it can be read in review.
 *
 * Strategies
 *   - Navigations (HTML pages): network first, cached copy as fallback,
 *     then the cached "/" shell. Pages must be fresh when online because
 *     they are server-rendered and may carry live data.
 *   - Static assets (/vendor/, /icons/, *.css, *.js, *.png, ...):
 *     stale-while-revalidate — instant from cache, refreshed in background.
 *   - /pkg/ (the Leptos CSS/JS/WASM build): see PKG_FILES_HASHED below.
 *   - /api/, /healthz, /opendata/, /open311/: never intercepted, never
 *     cached: they are live data, health probes or machine interfaces,
 *     and a stale answer would be wrong rather than merely old.
 *   - Other origins (map tiles, etc.): not intercepted; the tile servers
 *     have their own caching rules and tile URLs would bloat our cache.
 */

'use strict';

// Bump on every deploy that changes what is pre-cached or how caching
// works: a changed sw.js installs a new worker, and `activate` then drops
// every cache that does not carry the current version.
const VERSION = 'v1';
const CACHE_PREFIX = 'open-region-';
const SHELL_CACHE = `${CACHE_PREFIX}shell-${VERSION}`; // pre-cache + static assets
const PAGES_CACHE = `${CACHE_PREFIX}pages-${VERSION}`; // copies of visited pages
const MAX_PAGES = 40; // keep the per-page HTML cache bounded on small phones

// scripts/build writes /pkg/open-region.{css,js,wasm} under fixed names.
// The JS glue and the WASM must match each other and the server-rendered HTML, otherwise hydration breaks on
// the first visit after a deploy. With fixed names we therefore fetch
// /pkg/ network first (the HTTP cache still makes that a cheap 304) and
// use our cache only offline. Set to true once file names are hashed:
// then a changed build has new URLs and stale-while-revalidate is safe.
const PKG_FILES_HASHED = false;

// Without these the installed app cannot start offline at all, so a
// failure here must fail the install (cache.addAll is all-or-nothing).
const ESSENTIAL_URLS = [
  '/',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/icon-maskable-512.png',
  '/icons/apple-touch-icon.png',
  '/icons/favicon.png',
];

// Nice to have offline; each may be missing (e.g. the map page is not
// deployed yet, or the build output has another name), which must not
// prevent the worker from installing.
const OPTIONAL_URLS = [
  '/vendor/leaflet/leaflet.css',
  '/vendor/leaflet/leaflet.js',
  '/vendor/leaflet/images/marker-icon.png',
  '/vendor/leaflet/images/marker-icon-2x.png',
  '/vendor/leaflet/images/marker-shadow.png',
  '/pkg/open-region.css',
  '/pkg/open-region.js',
  '/pkg/open-region.wasm',
];

// Path prefixes that are always network only (never cached, never
// answered from a cache).
const NETWORK_ONLY_PREFIXES = ['/api/', '/healthz', '/opendata/', '/open311/'];

const STATIC_PREFIXES = ['/pkg/', '/vendor/', '/icons/'];
const STATIC_EXTENSIONS = /\.(?:css|js|mjs|wasm|png|svg|ico|webp|woff2|webmanifest)$/i;

// ---------------------------------------------------------------------------
// Install: pre-cache the shell, then take over without waiting for old tabs.
// ---------------------------------------------------------------------------

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // `cache: 'no-cache'` asks the server whether the HTTP cache's copy is
      // current, so that we do not pin a stale copy, and takes that copy when
      // it is: the first visit has just downloaded the module and Leaflet, and
      // a phone should not download them twice.
      await cache.addAll(ESSENTIAL_URLS.map((url) => new Request(url, { cache: 'no-cache' })));
      await Promise.all(
        OPTIONAL_URLS.map(async (url) => {
          try {
            const response = await fetch(new Request(url, { cache: 'no-cache' }));
            if (isCacheable(response)) {
              await cache.put(url, response);
            }
          } catch (_) {
            // Offline or missing: it will be cached on first real use.
          }
        }),
      );
      await self.skipWaiting();
    })(),
  );
});

// ---------------------------------------------------------------------------
// Activate: drop caches of older versions, control open pages immediately.
// ---------------------------------------------------------------------------

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const current = new Set([SHELL_CACHE, PAGES_CACHE]);
      const names = await caches.keys();
      await Promise.all(
        names
          // Only our own caches: other code on this origin may use the API.
          .filter((name) => name.startsWith(CACHE_PREFIX) && !current.has(name))
          .map((name) => caches.delete(name)),
      );
      // Navigation preload lets the browser start the page request while
      // the worker boots, so network-first costs no extra latency.
      if (self.registration.navigationPreload) {
        try {
          await self.registration.navigationPreload.enable();
        } catch (_) {
          // Not supported in this browser: plain fetch is used instead.
        }
      }
      await self.clients.claim();
    })(),
  );
});

// ---------------------------------------------------------------------------
// Messages from the page.
// ---------------------------------------------------------------------------

// The app posts 'CLEAR_PAGES' (or {type: 'CLEAR_PAGES'}) on logout so that pages that
// showed the user's name or data do not stay readable offline on a shared
// phone.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (data === 'CLEAR_PAGES' || (data && data.type === 'CLEAR_PAGES')) {
    event.waitUntil(
      (async () => {
        await caches.delete(PAGES_CACHE);
        // Re-fetch the shell so the offline fallback is the logged-out one.
        try {
          const response = await fetch(new Request('/', { cache: 'reload' }));
          if (isCacheable(response)) {
            const cache = await caches.open(SHELL_CACHE);
            await cache.put('/', response);
          }
        } catch (_) {
          // Offline: keep the old shell rather than having none.
        }
      })(),
    );
  }
});

// ---------------------------------------------------------------------------
// Fetch routing. Returning without respondWith() lets the browser do a
// normal network request, which is how "network only" is implemented.
// ---------------------------------------------------------------------------

self.addEventListener('fetch', (event) => {
  const request = event.request;

  // Only GET can be cached; POST (forms, server functions) must hit the
  // server every time.
  if (request.method !== 'GET') return;

  const url = new URL(request.url);

  // Map tiles and anything else cross-origin: leave to the browser.
  if (url.origin !== self.location.origin) return;

  // Live data and machine interfaces: network only.
  if (NETWORK_ONLY_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) {
    // A navigation here (e.g. opening an open-data file) already has a
    // preload request in flight; use it instead of fetching twice.
    if (request.mode === 'navigate') {
      event.respondWith(
        (async () => (await event.preloadResponse) || fetch(request))(),
      );
    }
    return;
  }

  // Partial (Range) requests cannot be answered from a whole cached body.
  if (request.headers.has('range')) return;

  if (request.mode === 'navigate') {
    event.respondWith(handleNavigation(event));
    return;
  }

  if (url.pathname.startsWith('/pkg/') && !PKG_FILES_HASHED) {
    event.respondWith(networkFirst(event, SHELL_CACHE));
    return;
  }

  if (isStaticAsset(url)) {
    event.respondWith(staleWhileRevalidate(event, SHELL_CACHE));
  }
  // Everything else (e.g. /robots.txt) goes to the network untouched.
});

function isStaticAsset(url) {
  return (
    STATIC_PREFIXES.some((prefix) => url.pathname.startsWith(prefix)) ||
    STATIC_EXTENSIONS.test(url.pathname)
  );
}

// Only complete, same-origin, successful responses that the server allows
// to be stored. `no-store` lets the server opt a page (e.g. account
// settings) out of offline copies.
function isCacheable(response) {
  if (!response || response.status !== 200 || response.type !== 'basic') return false;
  const cacheControl = response.headers.get('Cache-Control') || '';
  return !/\bno-store\b/i.test(cacheControl);
}

// A response that followed a redirect cannot be used to answer a
// navigation (browsers reject it), so rebuild it without the flag.
async function withoutRedirect(response) {
  if (!response || !response.redirected) return response;
  const body = await response.blob();
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

// Network first for pages; offline fallback: this page, else the "/" shell.
async function handleNavigation(event) {
  const request = event.request;
  try {
    // The browser may cancel a preload (another navigation, a redirect) while the network
    // is fine: that is no reason to answer an online visitor with an offline copy, which
    // for another address is another page, whose hydration then fails.
    const preloaded = await event.preloadResponse.catch(() => undefined);
    const response = preloaded || (await fetch(request));
    if (isCacheable(response) && !response.redirected) {
      const copy = response.clone();
      event.waitUntil(putPage(request, copy));
    }
    return response;
  } catch (error) {
    const cached =
      (await caches.match(request, { cacheName: PAGES_CACHE })) ||
      (await caches.match(request, { cacheName: SHELL_CACHE })) ||
      (await caches.match('/', { cacheName: PAGES_CACHE })) ||
      (await caches.match('/', { cacheName: SHELL_CACHE }));
    if (cached) return withoutRedirect(cached);
    // Nothing cached at all (first visit while offline): let the browser
    // show its own offline page.
    throw error;
  }
}

async function putPage(request, response) {
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(request, response);
  // Keys come back in insertion order; drop the oldest beyond the limit.
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((key) => cache.delete(key)));
}

// Network first for build output that must match the HTML (see above).
async function networkFirst(event, cacheName) {
  const request = event.request;
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (isCacheable(response)) {
      event.waitUntil(cache.put(request, response.clone()));
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

// Answer from the cache at once when possible and refresh it in the
// background; icons, Leaflet and styles rarely change and must not wait
// for a weak mobile signal.
async function staleWhileRevalidate(event, cacheName) {
  const request = event.request;
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);

  const refresh = fetch(request)
    .then(async (response) => {
      if (isCacheable(response)) {
        await cache.put(request, response.clone());
      }
      return response;
    });

  if (cached) {
    // Keep the worker alive until the refresh is stored; a failed refresh
    // (offline) is expected and harmless here.
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}
