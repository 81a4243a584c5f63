// Storage behind a virtio-blk device. The machine never touches the host's file system (file
// access is injected, DESIGN.md / STYLE rule 7): a caller that wants a disk file passes a
// backend (file-backend.ts for host files; MemoryBlockBackend for tests and scratch disks).
export interface BlockBackend {
  /** Size in bytes (the device's capacity is this / 512, rounded down). */
  readonly size: number;
  /** Reads `length` bytes at byte `offset` (within size). */
  read(offset: number, length: number): Uint8Array;
  /** Writes `data` at byte `offset` (within size). */
  write(offset: number, data: Uint8Array): void;
  /** Makes every write so far durable (VIRTIO_BLK_T_FLUSH, machine shutdown). */
  flush(): void;
}

/** A disk image held in memory. */
export class MemoryBlockBackend implements BlockBackend {
  flushes = 0;
  constructor(readonly bytes: Uint8Array) {}
  get size(): number { return this.bytes.length; }
  read(offset: number, length: number): Uint8Array { return this.bytes.slice(offset, offset + length); }
  write(offset: number, data: Uint8Array): void { this.bytes.set(data, offset); }
  flush(): void { this.flushes++; }
}
