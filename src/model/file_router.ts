/**
 * `file://` URLs for `model.save` and `tf.loadLayersModel`, the same on every
 * backend, whether or not `@tensorflow/tfjs-node` is loaded.
 *
 * tfjs asks every registered router for a handler and refuses a URL that two
 * of them answer ("Found more than one (2) load handlers"). tfjs-node, once
 * imported (before or after this package), answers `file://` with its own
 * handler, which loads only from a `model.json` path and writes its weights
 * without the atomic replace of {@link fileIO}. So this module keeps one
 * chain: its router answers `file://` strings, and every other router
 * registered before or after it is wrapped so that it yields those URLs
 * (arrays of URLs, and every other scheme, still go to them unchanged).
 *
 * tfjs exposes no way to list or remove routers; the list is caught as this
 * router is pushed onto it, once, at import.
 */
import { tf } from '../tf';

type Router = (url: string | string[], options?: unknown) => tf.io.IOHandler | null;

const isFileUrl = (url: unknown): url is string => typeof url === 'string' && url.startsWith('file://');

const YIELDS = Symbol('yields file:// URLs');

/** `r`, except that it answers no `file://` string. */
function yieldingFileUrls(r: Router): Router {
  if ((r as { [YIELDS]?: boolean })[YIELDS]) return r;
  const wrapped: Router = (url, options) => (isFileUrl(url) ? null : r(url, options));
  (wrapped as { [YIELDS]?: boolean })[YIELDS] = true;
  return wrapped;
}

/** Calls `register(router)` and returns the array tfjs pushed it onto (null if tfjs did not push). */
function catchRouterList(register: (r: Router) => void, router: Router): Router[] | null {
  const push = Array.prototype.push;
  let list: Router[] | null = null;
  Array.prototype.push = function (this: unknown[], ...items: unknown[]): number {
    if (items.length === 1 && items[0] === router) list = this as Router[];
    return push.apply(this, items);
  };
  try {
    register(router);
  } finally {
    Array.prototype.push = push;
  }
  return list;
}

/** Registers `router` as the only one that answers `file://` strings, now and after later registrations. */
function registerOnly(register: (r: Router) => void, router: Router): void {
  const list = catchRouterList(register, router);
  if (list == null) return; // a tfjs that keeps routers otherwise: ours is registered, without the guard
  const own = list;
  for (let i = 0; i < own.length; i++) if (own[i] !== router) own[i] = yieldingFileUrls(own[i]);
  const push = Array.prototype.push;
  Object.defineProperty(own, 'push', {
    value: (...items: Router[]) => push.apply(own, items.map((r) => (r === router ? r : yieldingFileUrls(r)))),
    configurable: true,
  });
}

/**
 * Makes `file://` URLs reach `handler(path)` for saving and loading.
 * Called once, by io.ts, with {@link fileIO}.
 */
export function routeFileUrls(handler: (pathOrUrl: string) => tf.io.IOHandler): void {
  const router: Router = (url) => (isFileUrl(url) ? handler(url) : null);
  registerOnly(tf.io.registerSaveRouter as (r: Router) => void, router);
  registerOnly(tf.io.registerLoadRouter as (r: Router) => void, router);
}
