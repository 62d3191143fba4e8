/**
 * A deep read-only view of a type: Maps become ReadonlyMaps, Sets ReadonlySets, arrays readonly
 * arrays, and every property readonly, recursively (through the intrusive folio list's prev/next
 * too). Deciders, views and read-only kernel helpers take state through it, so a write outside
 * evolve() is a compile error rather than a convention.
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<DeepReadonly<K>, DeepReadonly<V>>
    : T extends ReadonlySet<infer V>
      ? ReadonlySet<DeepReadonly<V>>
      : T extends readonly (infer E)[]
        ? readonly DeepReadonly<E>[]
        : T extends object
          ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
          : T;
