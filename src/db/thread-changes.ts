/**
 * Which threads changed since when, for caches of thread pages. A cache entry remembers the `now`
 * it was read at and is stale once its thread (or everything) changed after that. Bounded: past
 * `maxThreads` remembered threads, the record is reset and every older entry counts as stale.
 */
export class ThreadChanges {
  private seq = 0;
  private floor = 0;
  private readonly last = new Map<string, number>();

  constructor(private readonly maxThreads = 50_000) {}

  /** A point in the sequence of changes; read it before reading the data it will describe. */
  get now(): number {
    return this.seq;
  }

  /** Records a committed change to a thread's comments. */
  changed(threadId: string): void {
    this.seq++;
    if (this.last.size >= this.maxThreads && !this.last.has(threadId)) this.all();
    else this.last.set(threadId, this.seq);
  }

  /** Records a change whose thread is unknown (e.g. a write by SQL outside the store's hot paths). */
  all(): void {
    this.seq++;
    this.floor = this.seq;
    this.last.clear();
  }

  /** Whether `threadId` changed after `since`. */
  changedSince(threadId: string, since: number): boolean {
    return (this.last.get(threadId) ?? this.floor) > since;
  }
}
