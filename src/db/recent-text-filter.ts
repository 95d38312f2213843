/**
 * Which text fingerprints may have been stored recently, so that the duplicate rule's lookup can be
 * skipped for the comments that are certainly new (nearly all of them): a Bloom filter in two
 * generations. It answers "maybe" for every fingerprint added within the last `generationMs` (and
 * for a few others, false positives, which only cost the lookup it would have made anyway); "no"
 * therefore means no comment with that fingerprint was stored since `coversFrom()`.
 *
 * Fingerprints are hex SHA-256 prefixes, uniformly distributed, so the filter's bit positions are
 * slices of the fingerprint itself. Memory is fixed: 2 × `bits` / 8 bytes (2 MiB by default), at a
 * false-positive rate near 1 % at 500,000 fingerprints a generation.
 */
export interface RecentTextFilterOptions {
  /** Bits per generation, a power of two between 2^10 and 2^24. */
  bits?: number;
  /** How long a generation collects before it becomes the previous one (and the one before is dropped). */
  generationMs: number;
}

const PROBES = 3;

interface Generation {
  bits: Uint32Array;
  /** Fingerprints stored since this instant (ms) are all in this generation or the newer one. */
  coversFrom: number;
  startedAt: number;
}

export class RecentTextFilter {
  private readonly size: number;
  private readonly mask: number;
  private readonly generationMs: number;
  private current: Generation | null = null;
  private previous: Generation | null = null;

  constructor(options: RecentTextFilterOptions) {
    const bits = options.bits ?? 1 << 23;
    if (!Number.isInteger(Math.log2(bits)) || bits < 1 << 10 || bits > 1 << 24) {
      throw new Error('RecentTextFilter: bits must be a power of two between 2^10 and 2^24');
    }
    this.size = bits;
    this.mask = bits - 1;
    this.generationMs = options.generationMs;
  }

  /**
   * Starts answering: every fingerprint stored since `coversFrom` has been (or is being) added. Until
   * then `covers` is false for every instant and callers look in the database.
   */
  start(now: number, coversFrom: number): void {
    this.current ??= { bits: new Uint32Array(this.size / 32), coversFrom, startedAt: now };
    this.current.coversFrom = Math.min(this.current.coversFrom, coversFrom);
  }

  /** Whether a "no" from {@link mightContain} holds for everything stored since `sinceMs`. */
  covers(sinceMs: number, now: number): boolean {
    this.rotate(now);
    const oldest = this.previous ?? this.current;
    return oldest !== null && sinceMs >= oldest.coversFrom;
  }

  add(fingerprint: string, now: number): void {
    // Before start() the filter is not consulted; adding is still right (start keeps these bits).
    if (!this.current) this.current = { bits: new Uint32Array(this.size / 32), coversFrom: Infinity, startedAt: now };
    this.rotate(now);
    const g = this.current as Generation;
    for (let i = 0; i < PROBES; i++) {
      const bit = this.position(fingerprint, i);
      g.bits[bit >>> 5] = (g.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  mightContain(fingerprint: string): boolean {
    return this.inGeneration(this.current, fingerprint) || this.inGeneration(this.previous, fingerprint);
  }

  private inGeneration(g: Generation | null, fingerprint: string): boolean {
    if (!g) return false;
    for (let i = 0; i < PROBES; i++) {
      const bit = this.position(fingerprint, i);
      if (((g.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** Probe `i`: 24 bits of the fingerprint (hex characters 6i…6i+5), masked to the filter's size. */
  private position(fingerprint: string, i: number): number {
    const slice = Number.parseInt(fingerprint.slice(i * 6, i * 6 + 6), 16);
    // A fingerprint too short or not hex still maps somewhere fixed (only costs precision).
    return (Number.isNaN(slice) ? i : slice) & this.mask;
  }

  private rotate(now: number): void {
    const g = this.current;
    if (!g || now - g.startedAt < this.generationMs) return;
    // The generation before `g` is dropped: its fingerprints were added before g.startedAt, at least
    // one generation ago. `g` keeps everything since its own coversFrom, however long it sat idle.
    this.previous = g;
    this.current = { bits: new Uint32Array(this.size / 32), coversFrom: now, startedAt: now };
  }
}
