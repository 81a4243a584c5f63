struct bits { unsigned a:3; unsigned b:5; int c; signed d:7; unsigned long long e:40; };
typedef struct pt { int x, y; struct bits bf; char name[4][3]; struct pt *next; } pt_t;
enum color { RED, GREEN = 5, BLUE = -1 };
union u { int i; float f; };
volatile int gv = 3;
const pt_t gp = { 1, 2 };
static int counter;
static inline int mix(int a, int b) { int r = a * 31; r ^= b >> 3; r += gv; return r; }
int sum(const pt_t *p, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) { int t = mix(p[i].x, p[i].y); s += t + p[i].bf.b; }
  counter += s;
  return s;
}
enum color pick(union u v, long long k) { return v.i > k ? RED : GREEN; }
