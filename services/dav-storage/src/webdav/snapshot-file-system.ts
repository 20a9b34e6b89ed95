import { stat, type Stats } from 'node:fs';
import { v2 as webdav } from 'webdav-server';

/** Methods that never change the file system: one request of these sees each resource as it was at its first look. */
const READ_ONLY_METHODS = new Set(['PROPFIND', 'GET', 'HEAD']);

type StatCallback = (error: NodeJS.ErrnoException | null, stats?: Stats) => void;

/** One `fs.stat` per path, shared by every callback that asked for it meanwhile and by every later one. */
class StatSnapshot {
  readonly #settled = new Map<string, [NodeJS.ErrnoException | null, Stats | undefined]>();
  readonly #waiting = new Map<string, StatCallback[]>();

  stat(realPath: string, callback: StatCallback): void {
    const settled = this.#settled.get(realPath);
    if (settled) return callback(...settled);
    const waiting = this.#waiting.get(realPath);
    if (waiting) return void waiting.push(callback);
    this.#waiting.set(realPath, [callback]);
    stat(realPath, (error, stats) => {
      const callbacks = this.#waiting.get(realPath)!;
      this.#waiting.delete(realPath);
      this.#settled.set(realPath, [error, stats]);
      for (const waiter of callbacks) waiter(error, stats);
    });
  }
}

/**
 * The library's physical file system, with one `stat` per resource per
 * read-only request. The library stats a file once for each property it
 * reports (type, size, both dates, the ETag derived from the modification
 * date): six per entry of a PROPFIND listing. A PROPFIND answer describes
 * the folder at one moment anyway, so every property of an entry now comes
 * from the same look at it. Requests that write (PUT, MOVE, …) stat afresh
 * each time, as before, since they change what they look at.
 */
export class SnapshotFileSystem extends webdav.PhysicalFileSystem {
  readonly #snapshots = new WeakMap<webdav.RequestContext, StatSnapshot>();

  #stat(path: webdav.Path, info: webdav.IContextInfo, callback: StatCallback): void {
    const { realPath } = this.getRealPath(path);
    const context = info.context;
    const method = context instanceof webdav.HTTPRequestContext ? context.request.method : undefined;
    if (method === undefined || !READ_ONLY_METHODS.has(method)) return stat(realPath, callback);
    let snapshot = this.#snapshots.get(context);
    if (!snapshot) this.#snapshots.set(context, (snapshot = new StatSnapshot()));
    snapshot.stat(realPath, callback);
  }

  protected override getStatProperty(path: webdav.Path, info: webdav.IContextInfo, propertyName: keyof Stats, callback: webdav.ReturnCallback<unknown>): void {
    this.#stat(path, info, (error, stats) => (error || !stats ? callback(webdav.Errors.ResourceNotFound) : callback(undefined, stats[propertyName])));
  }

  protected override _type(path: webdav.Path, info: webdav.TypeInfo, callback: webdav.ReturnCallback<webdav.ResourceType>): void {
    this.#stat(path, info, (error, stats) =>
      error || !stats ? callback(webdav.Errors.ResourceNotFound) : callback(undefined, stats.isDirectory() ? webdav.ResourceType.Directory : webdav.ResourceType.File),
    );
  }
}
