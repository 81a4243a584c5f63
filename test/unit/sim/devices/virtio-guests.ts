// Guest programs shared by the virtio tests (the machine-level test and the CLI test).

/**
 * An EL1 virtio-blk driver for the last transport (0x0a00_3e00, INTID 79, GICv3): negotiates
 * VERSION_1 and FLUSH, sets up an 8-entry split queue, writes sector 1 (byte i = 7 i + 3), reads
 * it back and compares, flushes, and exits 0 — or with the number of the step that failed
 * (10 probe, 11 negotiation, 12 queue setup, 13 write, 14 read, 15 compare, 16 flush); X28 holds
 * the last request's status byte.
 */
export const BLK_GUEST = `
        .equ VIO, 0x0a003e00
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
        .equ Q, 0x40100000
        .equ HDR, 0x40101000
        .equ OUTBUF, 0x40102000
        .equ INBUF, 0x40103000
_start: ldr     x0, =vectors
        msr     vbar_el1, x0
        ldr     x1, =GICD
        mov     w0, #0x12
        str     w0, [x1]                 // GICD_CTLR: EnableGrp1NS, ARE_NS
        ldr     x2, =GICR_RD
        str     wzr, [x2, #0x14]         // GICR_WAKER
        mov     w0, #0x8000
        str     w0, [x1, #0x88]          // GICD_IGROUPR2: INTID 79 in Group 1
        mov     w0, #0x80000000
        str     w0, [x1, #0xc10]         // GICD_ICFGR4: INTID 79 edge-triggered (as the device tree says)
        mov     w0, #0xa0
        strb    w0, [x1, #0x44f]         // GICD_IPRIORITYR byte 79
        str     xzr, [x1, #0x6278]       // GICD_IROUTER79 = PE 0
        mov     w0, #0x8000
        str     w0, [x1, #0x108]         // GICD_ISENABLER2: INTID 79
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0         // ICC_PMR_EL1
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0       // ICC_IGRPEN1_EL1
        msr     daifclr, #2

        ldr     x9, =VIO
        mov     w27, #10                 // failure code: probe
        ldr     w0, [x9]                 // MagicValue
        ldr     w1, =0x74726976
        cmp     w0, w1
        b.ne    fail
        ldr     w0, [x9, #4]             // Version
        cmp     w0, #2
        b.ne    fail
        ldr     w0, [x9, #8]             // DeviceID: block
        cmp     w0, #2
        b.ne    fail
        mov     w27, #11                 // failure code: negotiation
        str     wzr, [x9, #0x70]         // Status = 0: reset
        mov     w0, #1
        str     w0, [x9, #0x70]          // ACKNOWLEDGE
        mov     w0, #3
        str     w0, [x9, #0x70]          // DRIVER
        mov     w0, #1
        str     w0, [x9, #0x14]          // DeviceFeaturesSel = 1
        ldr     w0, [x9, #0x10]
        tbz     w0, #0, fail             // VIRTIO_F_VERSION_1 (bit 32)
        mov     w0, #1
        str     w0, [x9, #0x24]          // DriverFeaturesSel = 1
        str     w0, [x9, #0x20]          // DriverFeatures: VERSION_1
        str     wzr, [x9, #0x24]         // DriverFeaturesSel = 0
        str     wzr, [x9, #0x14]
        ldr     w0, [x9, #0x10]
        tbz     w0, #9, fail             // VIRTIO_BLK_F_FLUSH offered
        mov     w0, #0x200
        str     w0, [x9, #0x20]          // DriverFeatures: FLUSH
        mov     w0, #0xb
        str     w0, [x9, #0x70]          // FEATURES_OK
        ldr     w0, [x9, #0x70]
        tbz     w0, #3, fail             // still set: accepted
        mov     w27, #12                 // failure code: queue setup
        str     wzr, [x9, #0x30]         // QueueSel = 0
        ldr     w0, [x9, #0x34]          // QueueNumMax
        cmp     w0, #8
        b.lo    fail
        mov     w0, #8
        str     w0, [x9, #0x38]          // QueueNum = 8
        ldr     x0, =Q
        str     w0, [x9, #0x80]          // QueueDescLow/High
        lsr     x1, x0, #32
        str     w1, [x9, #0x84]
        add     x1, x0, #0x100
        str     w1, [x9, #0x90]          // QueueDriverLow/High (available ring)
        str     wzr, [x9, #0x94]
        add     x1, x0, #0x200
        str     w1, [x9, #0xa0]          // QueueDeviceLow/High (used ring)
        str     wzr, [x9, #0xa4]
        mov     w0, #1
        str     w0, [x9, #0x44]          // QueueReady
        mov     w0, #0xf
        str     w0, [x9, #0x70]          // DRIVER_OK

        ldr     x2, =OUTBUF              // sector contents: byte i = 7 * i + 3
        mov     x5, #0
3:      mov     w6, #7
        mul     w6, w5, w6
        add     w6, w6, #3
        strb    w6, [x2, x5]
        add     x5, x5, #1
        cmp     x5, #512
        b.ne    3b

        mov     w27, #13                 // failure code: write
        mov     w0, #1                   // VIRTIO_BLK_T_OUT
        mov     x1, #1
        ldr     x2, =OUTBUF
        mov     w3, #512
        mov     w4, #0
        bl      req
        cbnz    w0, fail
        mov     w27, #14                 // failure code: read
        mov     w0, #0                   // VIRTIO_BLK_T_IN
        mov     x1, #1
        ldr     x2, =INBUF
        mov     w3, #512
        mov     w4, #2                   // VIRTQ_DESC_F_WRITE
        bl      req
        cbnz    w0, fail
        cmp     w26, #513                // used length: data + status
        b.ne    fail
        mov     w27, #15                 // failure code: compare
        ldr     x2, =OUTBUF
        ldr     x3, =INBUF
        mov     x5, #0
4:      ldrb    w6, [x2, x5]
        ldrb    w7, [x3, x5]
        cmp     w6, w7
        b.ne    fail
        add     x5, x5, #1
        cmp     x5, #512
        b.ne    4b
        mov     w27, #16                 // failure code: flush
        mov     w0, #4                   // VIRTIO_BLK_T_FLUSH
        mov     x1, #0
        ldr     x2, =INBUF
        mov     w3, #0
        mov     w4, #0
        bl      req
        cbnz    w0, fail
        mov     w27, #0
fail:   ldr     x1, =exitblk
        str     x27, [x1, #8]
        mov     x0, #0x18
        hlt     #0xf000

// req: w0 type, x1 sector, x2 buffer, w3 length, w4 buffer flags -> w0 (and w28) status, w26 used length
req:    ldr     x10, =Q
        ldr     x11, =HDR
        str     w0, [x11]
        str     wzr, [x11, #4]
        str     x1, [x11, #8]
        str     x11, [x10]               // desc 0: header, NEXT -> 1
        mov     w5, #16
        str     w5, [x10, #8]
        mov     w5, #1
        strh    w5, [x10, #12]
        strh    w5, [x10, #14]
        str     x2, [x10, #16]           // desc 1: data, NEXT -> 2
        str     w3, [x10, #24]
        orr     w5, w4, #1
        strh    w5, [x10, #28]
        mov     w5, #2
        strh    w5, [x10, #30]
        add     x12, x11, #0x100         // desc 2: status byte, WRITE
        mov     w5, #0xff
        strb    w5, [x12]
        str     x12, [x10, #32]
        mov     w5, #1
        str     w5, [x10, #40]
        mov     w5, #2
        strh    w5, [x10, #44]
        strh    wzr, [x10, #46]
        add     x13, x10, #0x100         // available ring: ring[idx % 8] = 0; idx += 1
        and     w5, w20, #7
        add     x6, x13, #4
        strh    wzr, [x6, x5, lsl #1]
        add     w20, w20, #1
        dsb     sy
        strh    w20, [x13, #2]
        dsb     sy
        mov     w6, w21
        str     wzr, [x9, #0x50]         // QueueNotify = 0
5:      cmp     w21, w6                  // wait for the completion interrupt
        b.ne    6f
        wfi
        b       5b
6:      add     x13, x10, #0x200         // used ring: idx and the element's length
        ldrh    w5, [x13, #2]
        cmp     w5, w20
        b.ne    fail
        sub     w5, w5, #1
        and     w5, w5, #7
        add     x6, x13, #8              // used->ring[i].len
        add     x6, x6, x5, lsl #3
        ldr     w26, [x6]
        ldrb    w0, [x12]
        mov     w28, w0                  // last status, for the host to check
        ret

irq:    mrs     x15, S3_0_C12_C12_0      // ICC_IAR1_EL1
        ldr     w14, [x9, #0x60]         // InterruptStatus
        str     w14, [x9, #0x64]         // InterruptACK
        add     w21, w21, #1
        msr     S3_0_C12_C12_1, x15      // ICC_EOIR1_EL1
        eret

        .balign 8
exitblk: .quad 0x20026, 0

        .balign 0x800
vectors:
        .space  0x280
        b       irq
`;

/**
 * An EL1 virtio-console driver (single port, no MULTIPORT) for the last transport: posts a
 * 64-byte receive buffer, prints "ready\n" through the transmitq, sleeps in WFI until the buffer
 * comes back, prints "got: " and what it received as one two-buffer chain, and exits 0.
 */
export const CONSOLE_GUEST = `        .armvirt entry_el, 1
        .equ VIO, 0x0a003e00
        .equ GICD, 0x08000000
        .equ GICR_RD, 0x080A0000
        .equ RXQ, 0x40100000
        .equ TXQ, 0x40110000
        .equ RXBUF, 0x40120000
_start: ldr     x0, =vectors
        msr     vbar_el1, x0
        ldr     x1, =GICD
        mov     w0, #0x12
        str     w0, [x1]
        ldr     x2, =GICR_RD
        str     wzr, [x2, #0x14]
        mov     w0, #0x8000
        str     w0, [x1, #0x88]          // INTID 79: Group 1, edge, PE 0, enabled
        mov     w0, #0x80000000
        str     w0, [x1, #0xc10]
        str     xzr, [x1, #0x6278]
        mov     w0, #0x8000
        str     w0, [x1, #0x108]
        mov     x0, #0xff
        msr     S3_0_C4_C6_0, x0
        mov     x0, #1
        msr     S3_0_C12_C12_7, x0
        msr     daifclr, #2
        ldr     x9, =VIO
        ldr     w0, [x9, #8]
        cmp     w0, #3                   // DeviceID: console
        b.ne    fail
        str     wzr, [x9, #0x70]
        mov     w0, #3
        str     w0, [x9, #0x70]          // ACKNOWLEDGE | DRIVER
        mov     w0, #1
        str     w0, [x9, #0x24]
        str     w0, [x9, #0x20]          // VIRTIO_F_VERSION_1
        mov     w0, #0xb
        str     w0, [x9, #0x70]          // FEATURES_OK
        mov     w1, #0                   // queue 0 (receiveq) at RXQ, queue 1 (transmitq) at TXQ
        ldr     x2, =RXQ
        bl      setupq
        mov     w1, #1
        ldr     x2, =TXQ
        bl      setupq
        mov     w0, #0xf
        str     w0, [x9, #0x70]          // DRIVER_OK
        ldr     x2, =RXQ                 // receive buffer: desc 0 = RXBUF, 64 bytes, WRITE
        ldr     x3, =RXBUF
        str     x3, [x2]
        mov     w0, #64
        str     w0, [x2, #8]
        mov     w0, #2
        strh    w0, [x2, #12]
        mov     w0, #1
        strh    w0, [x2, #0x102]         // avail ring[0] = 0 (already), idx = 1
        str     wzr, [x9, #0x50]         // QueueNotify 0
        ldr     x3, =ready               // "ready\\n" through the transmitq
        mov     w4, #6
        mov     w20, #1
        bl      send
1:      ldr     x2, =RXQ                 // sleep until the receive buffer comes back
        ldrh    w0, [x2, #0x202]
        cbnz    w0, 2f
        wfi
        b       1b
2:      ldr     w4, [x2, #0x208]         // used ring[0].len
        ldr     x3, =got
        mov     w5, #5
        ldr     x6, =RXBUF
        mov     w20, #2
        bl      send2                    // "got: " + the line, one chain of two buffers
        mov     x0, #0x18
        ldr     x1, =exitblk
        hlt     #0xf000
fail:   mov     x0, #0x18
        ldr     x1, =failblk
        hlt     #0xf000

setupq: str     w1, [x9, #0x30]          // QueueSel
        mov     w0, #4
        str     w0, [x9, #0x38]          // QueueNum
        str     w2, [x9, #0x80]
        str     wzr, [x9, #0x84]
        add     x0, x2, #0x100
        str     w0, [x9, #0x90]
        str     wzr, [x9, #0x94]
        add     x0, x2, #0x200
        str     w0, [x9, #0xa0]
        str     wzr, [x9, #0xa4]
        mov     w0, #1
        str     w0, [x9, #0x44]          // QueueReady
        ret

// send: x3 buffer, w4 length, w20 new avail idx (single descriptor 0)
send:   ldr     x2, =TXQ
        str     x3, [x2]
        str     w4, [x2, #8]
        strh    wzr, [x2, #12]
        b       publish
// send2: x3/w5 first buffer, x6/w4 second: descriptors 0 -> 1
send2:  ldr     x2, =TXQ
        str     x3, [x2]
        str     w5, [x2, #8]
        mov     w0, #1
        strh    w0, [x2, #12]            // NEXT
        strh    w0, [x2, #14]            // next = 1
        str     x6, [x2, #16]
        str     w4, [x2, #24]
        strh    wzr, [x2, #28]
publish:sub     w0, w20, #1
        and     w0, w0, #3
        add     x1, x2, #0x104
        strh    wzr, [x1, x0, lsl #1]    // avail ring[idx - 1] = head 0
        strh    w20, [x2, #0x102]
        mov     w0, #1
        str     w0, [x9, #0x50]          // QueueNotify 1
        ret

irq:    mrs     x15, S3_0_C12_C12_0
        ldr     w14, [x9, #0x60]
        str     w14, [x9, #0x64]         // InterruptACK
        msr     S3_0_C12_C12_1, x15
        eret

ready:  .ascii  "ready\\n"
got:    .ascii  "got: "
        .balign 8
exitblk: .quad 0x20026, 0
failblk: .quad 0x20026, 1
        .balign 0x800
vectors:
        .space  0x280
        b       irq
`;
