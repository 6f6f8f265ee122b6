import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, keyed by the request's principal (one object per request), so services
 * stay singletons and every field of one request shares one batch per kind of data.
 */
export class RequestLoaders<Scope extends object> {
  private readonly perScope = new WeakMap<Scope, Map<string, DataLoader<unknown, unknown>>>();

  loader<K, V>(scope: Scope, name: string, batch: (keys: readonly K[]) => Promise<readonly V[]>): DataLoader<K, V> {
    let loaders = this.perScope.get(scope);
    if (!loaders) {
      loaders = new Map();
      this.perScope.set(scope, loaders);
    }
    let loader = loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
      loaders.set(name, loader);
    }
    return loader;
  }
}

/** Groups rows by a key in the order of `keys`, for DataLoader batch functions. */
export function groupBy<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
