// C program for the DAP test of C variables (test/debug/c-variables.test.ts).
struct pair { int a; unsigned b : 4; unsigned c : 4; };
typedef struct pair pair_t;
enum mode { IDLE, BUSY = 3 };
volatile int sink;

int accumulate(const pair_t *p, int n) {
  int total = 0;
  enum mode m = BUSY;
  for (int i = 0; i < n; i++) {
    pair_t first = p[i];
    int v = first.a * 2 + first.b;
    total += v + (m == BUSY); // @break
  }
  return total;
}

int main(void) {
  pair_t items[2] = { { 5, 3, 1 }, { 7, 2, 9 } };
  char tag = 'Q';
  sink = accumulate(items, 2) + tag;
  return 0;
}

__asm__(".globl _start\n_start:\n  ldr x0, =0x40200000\n  mov sp, x0\n  bl main\n1: b 1b\n  .ltorg\n");
