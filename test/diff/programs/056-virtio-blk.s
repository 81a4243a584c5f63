// diff: drive=16
// virtio-mmio on QEMU's virt as a driver sees it, with one virtio-blk-device (Version 2 register
// layout: QEMU runs with virtio-mmio.force-legacy=false) on a 16-sector disk whose byte i is
// 0x81 + 0x25 i + 7 (i >> 9): the 32 transports (MagicValue, Version, DeviceID, VendorID; the device on the
// last one, the others DeviceID 0), VERSION_1 offered, FEATURES_OK accepted, capacity from the
// config space, QueueNumMax of queue 0 and of a queue the device lacks, QueueReady, then requests
// on an 8-entry split queue polled through the used ring: IN, OUT then IN of the written sector,
// out-of-range and partial requests (IOERR), FLUSH, an unknown type (UNSUPP), GET_ID; and
// InterruptStatus/InterruptACK after a completion. Used lengths and feature words other than
// VERSION_1 and FLUSH are not printed (QEMU reports the whole writable length; it offers more).
        .include "harness.inc"
        .equ VIO0, 0x0a000000
        .equ VIO, 0x0a003e00
        .equ Q, 0x44100000
        .equ HDR, 0x44101000
        .equ BUF, 0x44102000
        .equ BUF2, 0x44103000
main:
        str     x30, [sp, #-16]!
        // The 32 transports: (Version << 48) | (DeviceID << 32) | VendorID, and the magic values.
        MOV64   x9, VIO0
        mov     x19, #0
        mov     x21, #0
1:      ldr     w0, [x9]
        ldr     w1, =0x74726976
        eor     w0, w0, w1
        orr     x21, x21, x0             // any transport without the "virt" magic
        ldr     w1, [x9, #4]
        ldr     w2, [x9, #8]
        ldr     w3, [x9, #0xc]
        lsl     x1, x1, #48
        orr     x1, x1, x2, lsl #32
        orr     x1, x1, x3
        PV      transport, x1
        add     x9, x9, #0x200
        add     x19, x19, #1
        cmp     x19, #32
        b.ne    1b
        PV      badmagic, x21

        MOV64   x9, VIO
        str     wzr, [x9, #0x70]         // Status = 0: reset
        ldr     w0, [x9, #0x70]
        PV      status0, x0
        mov     w0, #1
        str     w0, [x9, #0x70]          // ACKNOWLEDGE
        mov     w0, #3
        str     w0, [x9, #0x70]          // DRIVER
        mov     w0, #1
        str     w0, [x9, #0x14]          // DeviceFeaturesSel = 1
        ldr     w0, [x9, #0x10]
        and     w0, w0, #1
        PV      version1, x0
        str     wzr, [x9, #0x14]
        ldr     w0, [x9, #0x10]
        ubfx    w0, w0, #9, #1
        PV      flush, x0
        mov     w0, #1
        str     w0, [x9, #0x24]          // DriverFeaturesSel = 1: VERSION_1
        str     w0, [x9, #0x20]
        str     wzr, [x9, #0x24]         // DriverFeaturesSel = 0: VIRTIO_BLK_F_FLUSH
        mov     w0, #0x200
        str     w0, [x9, #0x20]
        mov     w0, #0xb
        str     w0, [x9, #0x70]          // FEATURES_OK
        ldr     w0, [x9, #0x70]
        PV      status, x0
        ldr     w0, [x9, #0x100]         // capacity (sectors)
        ldr     w1, [x9, #0x104]
        orr     x0, x0, x1, lsl #32
        PV      capacity, x0
        ldrb    w0, [x9, #0x100]
        PV      capbyte, x0
        mov     w0, #1
        str     w0, [x9, #0x30]          // QueueSel = 1: no such queue
        ldr     w0, [x9, #0x34]
        PV      qmax1, x0
        str     wzr, [x9, #0x30]         // QueueSel = 0
        ldr     w0, [x9, #0x34]
        PV      qmax0, x0
        ldr     w0, [x9, #0x44]
        PV      ready0, x0
        mov     w0, #8
        str     w0, [x9, #0x38]          // QueueNum
        MOV64   x0, Q
        str     w0, [x9, #0x80]
        str     wzr, [x9, #0x84]
        add     x1, x0, #0x100
        str     w1, [x9, #0x90]
        str     wzr, [x9, #0x94]
        add     x1, x0, #0x200
        str     w1, [x9, #0xa0]
        str     wzr, [x9, #0xa4]
        mov     w0, #1
        str     w0, [x9, #0x44]          // QueueReady
        ldr     w0, [x9, #0x44]
        PV      ready1, x0
        mov     w0, #0xf
        str     w0, [x9, #0x70]          // DRIVER_OK
        ldr     w0, [x9, #0x70]
        PV      status, x0
        mov     x20, #0                  // next available index

        // IN sector 3.
        mov     w0, #0
        mov     x1, #3
        MOV64   x2, BUF
        mov     w3, #512
        mov     w4, #2
        bl      req
        PV      in3, x0
        MOV64   x2, BUF
        bl      fold
        PV      sum3, x0
        ldr     w0, [x9, #0x60]          // InterruptStatus: used buffer notification
        PV      isr, x0
        str     w0, [x9, #0x64]          // InterruptACK
        ldr     w0, [x9, #0x60]
        PV      isr, x0
        // OUT sector 5 from BUF (sector 3's contents, first word changed), then IN sector 5 into BUF2.
        MOV64   x2, BUF
        ldr     x0, [x2]
        add     x0, x0, #0x123
        str     x0, [x2]
        mov     w0, #1
        mov     x1, #5
        MOV64   x2, BUF
        mov     w3, #512
        mov     w4, #0
        bl      req
        PV      out5, x0
        mov     w0, #0
        mov     x1, #5
        MOV64   x2, BUF2
        mov     w3, #512
        mov     w4, #2
        bl      req
        PV      in5, x0
        MOV64   x2, BUF2
        bl      fold
        PV      sum5, x0
        // Past the end (capacity 16), and running past it.
        mov     w0, #0
        mov     x1, #16
        MOV64   x2, BUF2
        mov     w3, #512
        mov     w4, #2
        bl      req
        PV      in16, x0
        mov     w0, #0
        mov     x1, #15
        MOV64   x2, BUF2
        mov     w3, #1024
        mov     w4, #2
        bl      req
        PV      in15x2, x0
        mov     w0, #4                   // FLUSH
        mov     x1, #0
        MOV64   x2, BUF2
        mov     w3, #0
        mov     w4, #0
        bl      req
        PV      flushst, x0
        mov     w0, #99                  // unknown type
        mov     x1, #0
        MOV64   x2, BUF2
        mov     w3, #0
        mov     w4, #0
        bl      req
        PV      unknown, x0
        mov     w0, #8                   // GET_ID: no serial on either side
        mov     x1, #0
        MOV64   x2, BUF2
        mov     w3, #20
        mov     w4, #2
        bl      req
        PV      getid, x0
        MOV64   x2, BUF2
        ldrb    w0, [x2]
        PV      id0, x0
        ldr     x30, [sp], #16
        ret

// req: w0 type, x1 sector, x2 buffer, w3 length (0: no data descriptor), w4 data flags
// (2: device-writable) -> x0 status byte. Descriptors 0 (header), 1 (data), 2 (status).
req:    MOV64   x10, Q
        MOV64   x11, HDR
        str     w0, [x11]
        str     wzr, [x11, #4]
        str     x1, [x11, #8]
        add     x12, x11, #0x100
        mov     w5, #0xff
        strb    w5, [x12]
        str     x11, [x10]
        mov     w5, #16
        str     w5, [x10, #8]
        mov     w5, #1
        strh    w5, [x10, #12]           // NEXT
        mov     w5, #2
        cbz     w3, 2f
        mov     w5, #1
2:      strh    w5, [x10, #14]           // next: data, or status without data
        str     x2, [x10, #16]
        str     w3, [x10, #24]
        orr     w5, w4, #1
        strh    w5, [x10, #28]
        mov     w5, #2
        strh    w5, [x10, #30]
        str     x12, [x10, #32]
        mov     w5, #1
        str     w5, [x10, #40]
        mov     w5, #2
        strh    w5, [x10, #44]           // WRITE
        strh    wzr, [x10, #46]
        add     x13, x10, #0x100         // available ring
        and     x5, x20, #7
        add     x6, x13, #4
        strh    wzr, [x6, x5, lsl #1]
        add     x20, x20, #1
        dsb     sy
        strh    w20, [x13, #2]
        dsb     sy
        str     wzr, [x9, #0x50]         // QueueNotify = 0
        add     x13, x10, #0x200
3:      ldrh    w5, [x13, #2]            // poll the used index
        and     w6, w20, #0xffff
        cmp     w5, w6
        b.ne    3b
        ldrb    w0, [x12]
        ret

// fold: x2 buffer -> x0 = a rotate-xor fold of its 64 words.
fold:   mov     x0, #0
        mov     x5, #0
4:      ldr     x6, [x2, x5, lsl #3]
        eor     x0, x6, x0, ror #59
        add     x5, x5, #1
        cmp     x5, #64
        b.ne    4b
        ret
