/** A fixed-capacity ring buffer: memory stays bounded however long the process runs. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  get length(): number {
    return this.size;
  }

  /** The newest item, or undefined. */
  last(): T | undefined {
    return this.size === 0 ? undefined : this.items[(this.next - 1 + this.capacity) % this.capacity];
  }

  /** Items oldest first, optionally only those `keep` accepts. */
  toArray(keep: (item: T) => boolean = () => true): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) {
      const item = this.items[(this.next - this.size + i + this.capacity) % this.capacity] as T;
      if (keep(item)) out.push(item);
    }
    return out;
  }
}
