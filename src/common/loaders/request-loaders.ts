import DataLoader from 'dataloader';

/** One request's DataLoaders, by name: held by the request context, gone with the request. */
export class LoaderCache {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<readonly V[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
      this.loaders.set(name, loader);
    }
    return loader;
  }
}

/**
 * A service's loaders in each request's cache, under the service's own names, so services stay
 * singletons and every field of one request shares one batch per kind of data.
 */
export class RequestLoaders {
  constructor(private readonly namespace: string) {}

  loader<K, V>(
    scope: { readonly loaders: LoaderCache },
    name: string,
    batch: (keys: readonly K[]) => Promise<readonly V[]>,
  ): DataLoader<K, V> {
    return scope.loaders.get(`${this.namespace}.${name}`, batch);
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
