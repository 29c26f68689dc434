/** Bounded caches shared by the semantic model and the rules. */

/** A map that forgets its oldest entries beyond `max`. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    while (this.size > this.max) super.delete(this.keys().next().value as K);
    return this;
  }
}

/**
 * `fn` with its answers kept per key (at most `max`): for pure functions of names, which rules
 * ask about again and again (the same identifiers in file after file).
 */
export function memoize<V>(fn: (key: string) => V, max = 50_000): (key: string) => V {
  const cache = new BoundedMap<string, V>(max);
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) cache.set(key, (v = fn(key)));
    return v as V;
  };
}
