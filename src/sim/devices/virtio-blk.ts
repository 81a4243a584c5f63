// virtio block device (OASIS virtio v1.2 section 5.2) on a virtio-mmio transport: one request
// queue, 512-byte sectors, storage in a BlockBackend (block-backend.ts). Requests complete
// synchronously at the queue notification (virtio-mmio.ts, "Determinism").
import { VirtioMmio, type VirtioLink } from './virtio-mmio';
import { VirtqueueError, gather, scatter, type Chain } from './virtqueue';
import type { BlockBackend } from './block-backend';

/** Device ID of a block device (5 "Device Types"). */
export const VIRTIO_ID_BLOCK = 2;
/** Feature bits (5.2.3). */
export const VIRTIO_BLK_F_SEG_MAX = 2, VIRTIO_BLK_F_RO = 5, VIRTIO_BLK_F_BLK_SIZE = 6, VIRTIO_BLK_F_FLUSH = 9;
/** Request types (5.2.6). */
export const VIRTIO_BLK_T_IN = 0, VIRTIO_BLK_T_OUT = 1, VIRTIO_BLK_T_FLUSH = 4, VIRTIO_BLK_T_GET_ID = 8;
/** Request status values (5.2.6). */
export const VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2;
/** Sector size of the request protocol (always 512, whatever blk_size says: 5.2.6). */
export const SECTOR = 512;
/** Bytes of the GET_ID answer (VIRTIO_BLK_ID_BYTES). */
export const VIRTIO_BLK_ID_BYTES = 20;
/** seg_max: segments per request besides header and status (QEMU: queue size 256 - 2). */
const SEG_MAX = 254;
/**
 * Largest data transfer of one request. The spec sets none without VIRTIO_BLK_F_SIZE_MAX; we
 * choose to answer VIRTIO_BLK_S_IOERR above 64 MiB rather than let a guest's descriptor make the
 * host allocate up to the size of RAM (Linux's requests stay far below: max_hw_sectors).
 */
export const MAX_TRANSFER = 64 << 20;

export interface VirtioBlkOptions {
  backend: BlockBackend;
  /** Offer VIRTIO_BLK_F_RO and fail writes with VIRTIO_BLK_S_IOERR. */
  readOnly?: boolean;
  /** Answer to VIRTIO_BLK_T_GET_ID (at most 20 bytes; default empty, as QEMU without serial=). */
  serial?: string;
}

export class VirtioBlk extends VirtioMmio {
  /** Capacity in 512-byte sectors (config `capacity`). */
  readonly capacity: number;
  readonly readOnly: boolean;
  readonly serial: string;
  /** Requests completed, and flushes done (VIRTIO_BLK_T_FLUSH), since the machine was built. */
  requests = 0;
  flushes = 0;
  private readonly backend: BlockBackend;

  constructor(link: VirtioLink, opts: VirtioBlkOptions) {
    super(link, VIRTIO_ID_BLOCK, 1);
    this.backend = opts.backend;
    this.capacity = Math.floor(opts.backend.size / SECTOR);
    this.readOnly = opts.readOnly ?? false;
    this.serial = opts.serial ?? '';
    if (Buffer.byteLength(this.serial, 'latin1') > VIRTIO_BLK_ID_BYTES || /[^\x20-\x7e]/.test(this.serial)) {
      throw new RangeError(`drive serial must be at most ${VIRTIO_BLK_ID_BYTES} printable ASCII characters (got '${this.serial}')`);
    }
  }

  protected override deviceFeatureBits(): number {
    return (1 << VIRTIO_BLK_F_SEG_MAX) | (1 << VIRTIO_BLK_F_BLK_SIZE) | (1 << VIRTIO_BLK_F_FLUSH) | (this.readOnly ? 1 << VIRTIO_BLK_F_RO : 0);
  }

  /** struct virtio_blk_config (5.2.4): capacity, size_max, seg_max, geometry, blk_size. */
  protected override configSpace(): Uint8Array {
    const c = new Uint8Array(36);
    const v = new DataView(c.buffer);
    v.setUint32(0, this.capacity % 0x100000000, true);
    v.setUint32(4, Math.floor(this.capacity / 0x100000000), true);
    v.setUint32(12, SEG_MAX, true);
    v.setUint32(20, SECTOR, true);
    return c;
  }

  /** Flushes the backend (machine shutdown). */
  flush(): void { this.backend.flush(); }

  protected override notified(q: number): void {
    this.serviceQueue(q, (c) => this.request(c));
  }

  /** Executes one request (5.2.6): header in the readable part, status byte last in the writable part. */
  private request(c: Chain): number {
    const head = gather(this.link.ram, c.readable, 16);
    let writable = 0, readable = 0;
    for (const s of c.writable) writable += s.len;
    for (const s of c.readable) readable += s.len;
    // 5.2.6.1: the driver puts the 16-byte header first and the status byte last; a request
    // without them is a driver error the device cannot answer.
    if (head.length < 16 || writable < 1) throw new VirtqueueError(`virtio-blk request without ${head.length < 16 ? 'a 16-byte header' : 'a status byte'}`);
    const hv = new DataView(head.buffer);
    const type = hv.getUint32(0, true);
    const sector = hv.getUint32(12, true) * 0x100000000 + hv.getUint32(8, true);
    const dataIn = writable - 1;
    let status = VIRTIO_BLK_S_OK, written = 0;
    this.requests++;
    try {
      switch (type) {
        case VIRTIO_BLK_T_IN:
          if (dataIn > MAX_TRANSFER || !this.inRange(sector, dataIn)) { status = VIRTIO_BLK_S_IOERR; break; }
          written = scatter(this.link.ram, c.writable, this.backend.read(sector * SECTOR, dataIn));
          break;
        case VIRTIO_BLK_T_OUT: {
          if (readable - 16 > MAX_TRANSFER) { status = VIRTIO_BLK_S_IOERR; break; }
          const data = gather(this.link.ram, c.readable).subarray(16);
          if (this.readOnly || !this.inRange(sector, data.length)) { status = VIRTIO_BLK_S_IOERR; break; }
          this.backend.write(sector * SECTOR, data);
          break;
        }
        case VIRTIO_BLK_T_FLUSH:
          this.backend.flush();
          this.flushes++;
          break;
        case VIRTIO_BLK_T_GET_ID: {
          const id = new Uint8Array(VIRTIO_BLK_ID_BYTES);
          id.set(Buffer.from(this.serial, 'latin1'));
          written = scatter(this.link.ram, c.writable, id.subarray(0, Math.min(VIRTIO_BLK_ID_BYTES, dataIn)));
          break;
        }
        default:
          status = VIRTIO_BLK_S_UNSUPP;
      }
    } catch (e) {
      if (e instanceof VirtqueueError) throw e;
      // The host storage failed (file closed, disk error): the guest sees an I/O error.
      status = VIRTIO_BLK_S_IOERR;
      written = 0;
    }
    scatter(this.link.ram, c.writable, Uint8Array.of(status), dataIn);
    return written + 1;
  }

  /** A transfer of `len` bytes at `sector`: whole sectors, inside the disk. */
  private inRange(sector: number, len: number): boolean {
    return len % SECTOR === 0 && sector <= this.capacity && sector + len / SECTOR <= this.capacity;
  }
}
