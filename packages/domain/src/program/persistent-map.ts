/**
 * An immutable string-keyed map whose `set` and `delete` return a new map sharing all but one
 * path with the old one: a fixed three-level trie of 32-way nodes over a 15-bit hash, with a
 * small Map in each leaf. A program's reservations grow by one per payment for the program's
 * whole life; copying them on every event made each reservation cost O(reservations).
 * Here it costs three 32-slot arrays and one leaf (about n / 32,768 entries).
 */
export class PersistentMap<V> {
  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(undefined, 0);
  }

  private constructor(
    private readonly root: Trie<V> | undefined,
    readonly size: number,
  ) {}

  get(key: string): V | undefined {
    return this.leafOf(key)?.get(key);
  }

  has(key: string): boolean {
    return this.leafOf(key)?.has(key) ?? false;
  }

  set(key: string, value: V): PersistentMap<V> {
    const leaf = this.leafOf(key);
    if (leaf?.get(key) === value && leaf.has(key)) return this;
    const next = new Map(leaf);
    next.set(key, value);
    return new PersistentMap(withLeaf(this.root, hashOf(key), next), this.size + (leaf?.has(key) ? 0 : 1));
  }

  delete(key: string): PersistentMap<V> {
    const leaf = this.leafOf(key);
    if (!leaf?.has(key)) return this;
    const next = new Map(leaf);
    next.delete(key);
    return new PersistentMap(withLeaf(this.root, hashOf(key), next), this.size - 1);
  }

  *entries(): IterableIterator<[string, V]> {
    yield* walk(this.root, 0);
  }

  private leafOf(key: string): ReadonlyMap<string, V> | undefined {
    const h = hashOf(key);
    const mid = this.root?.[slot(h, 0)];
    const leaves = mid?.[slot(h, 1)];
    return leaves?.[slot(h, 2)];
  }
}

type Leaves<V> = ReadonlyArray<ReadonlyMap<string, V> | undefined>;
type Trie<V> = ReadonlyArray<ReadonlyArray<Leaves<V> | undefined> | undefined>;

const WIDTH = 32;

function slot(hash: number, level: number): number {
  return (hash >>> (5 * level)) & (WIDTH - 1);
}

/** FNV-1a over UTF-16 code units: spreads ids that differ only in their last digits. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function withLeaf<V>(root: Trie<V> | undefined, hash: number, leaf: ReadonlyMap<string, V>): Trie<V> {
  const [a, b, c] = [slot(hash, 0), slot(hash, 1), slot(hash, 2)];
  const mid = root?.[a];
  const leaves = mid?.[b];
  return replaced(root, a, replaced(mid, b, replaced(leaves, c, leaf.size === 0 ? undefined : leaf)));
}

function replaced<T>(array: ReadonlyArray<T | undefined> | undefined, index: number, value: T | undefined): Array<T | undefined> {
  const copy = array ? [...array] : new Array<T | undefined>(WIDTH).fill(undefined);
  copy[index] = value;
  return copy;
}

function* walk<V>(node: ReadonlyArray<unknown> | undefined, level: number): Generator<[string, V]> {
  if (!node) return;
  for (const child of node) {
    if (child === undefined) continue;
    if (level === 2) yield* (child as ReadonlyMap<string, V>).entries();
    else yield* walk<V>(child as ReadonlyArray<unknown>, level + 1);
  }
}
