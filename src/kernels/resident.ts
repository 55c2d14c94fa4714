/**
 * Blocks of the kernels' memory kept from one call to a later one: a forward
 * call's inputs and per-step cache stay where its backward call reads them,
 * instead of crossing out to host arrays and back in (for LSTM(32) on
 * [32, 100, 32], 2.9 MB of cache each way a training step). They sit above
 * the module's heap base, below where each call's `Arena` begins.
 */

interface Block {
  at: number;
  bytes: number;
  free: boolean;
}

export class ResidentBlocks {
  private readonly blocks: Block[] = [];

  constructor(private readonly base: number) {}

  /** The first address above every block: where a call's arena begins. */
  get end(): number {
    const last = this.blocks[this.blocks.length - 1];
    return last ? last.at + last.bytes : this.base;
  }

  /** The address of a block of at least `bytes` bytes (16-byte aligned): the smallest free one that fits, else a new one on top. */
  take(bytes: number): number {
    const size = Math.ceil(bytes / 16) * 16;
    let best: Block | null = null;
    for (const b of this.blocks) if (b.free && b.bytes >= size && (!best || b.bytes < best.bytes)) best = b;
    if (best) {
      best.free = false;
      return best.at;
    }
    const at = this.end;
    this.blocks.push({ at, bytes: size, free: false });
    return at;
  }

  /** Frees the block at `at` (again: nothing); free blocks on top are given back to the arena. */
  release(at: number): void {
    const b = this.blocks.find((x) => x.at === at);
    if (!b) return;
    b.free = true;
    while (this.blocks.length > 0 && this.blocks[this.blocks.length - 1].free) this.blocks.pop();
  }

  /** Blocks in use (tests read it: none once every backward call has run). */
  get inUse(): number {
    return this.blocks.filter((b) => !b.free).length;
  }
}
