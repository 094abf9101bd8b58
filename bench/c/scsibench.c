// scsibench: the C ceiling of the scsikit benchmark (bench/, issue #9). Each workload done with the
// least overhead the kernel interfaces allow, so scsikit can be measured as a ratio of it.
// One run = one workload; the result is one JSON line on stdout. Every failure exits non-zero with
// the failing call on stderr: a benchmark that silently counts errors as work measures nothing.
//
//   scsibench inquiry  --path P --mode sgv3|sgv4|uring [--batch N] --count N [--seconds S]
//   scsibench randread --path P --mode sgv3|sgv4|uring|uring-fixed --qd N --lba-count N [--bs 4096]
//   scsibench seqread  --path P --mode sgv3|sgv4|uring|uring-fixed --qd N --lba-count N [--bs 131072]
//   scsibench nop      --batch N --count N [--seconds S]
//
// Built by the harness with `cc -O2 -Wall -Wextra -o … scsibench.c -luring` (never -march=native:
// it runs in a TCG guest whose CPU model differs from the host's, LAB.md).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <liburing.h>
#include <linux/bsg.h>
#include <math.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

// The Linux >= 7.1 BSG io_uring passthrough command, in the 80-byte cmd area of a 128-byte SQE.
// Not in bookworm's uapi headers (LAB.md), hence declared here with a size check.
struct bsg_uring_cmd {
  uint64_t request;
  uint32_t request_len;
  uint32_t protocol;
  uint32_t subprotocol;
  uint32_t max_response_len;
  uint64_t response;
  uint64_t dout_xferp;
  uint32_t dout_xfer_len;
  uint32_t dout_iovec_count;
  uint64_t din_xferp;
  uint32_t din_xfer_len;
  uint32_t din_iovec_count;
  uint32_t timeout_ms;
  uint8_t reserved[12];
};
_Static_assert(sizeof(struct bsg_uring_cmd) == 80, "bsg_uring_cmd fills the SQE128 cmd area");
_Static_assert(offsetof(struct io_uring_sqe, cmd) == 48, "the cmd area starts at byte 48 of the SQE");

#define SENSE_BYTES 96  // never 0: a zero-length sense buffer loses the device's sense (LAB.md)
#define INQUIRY_BYTES 96
#define MAX_SAMPLES (1u << 20)

enum mode { MODE_NONE, MODE_SGV3, MODE_SGV4, MODE_URING, MODE_URING_FIXED };
enum op { OP_INQUIRY, OP_RANDREAD, OP_SEQREAD, OP_NOP };

struct config {
  enum op op;
  const char *op_name;
  enum mode mode;
  const char *mode_name;
  const char *path;
  unsigned qd;
  unsigned batch;
  uint64_t count;       // stop after this many commands (0: no limit)
  double seconds;       // stop after this long (0: no limit)
  uint32_t bs;          // bytes per read
  uint32_t block_size;  // logical block size
  uint64_t lba_count;   // logical blocks on the device
  uint32_t timeout_ms;
  uint64_t seed;
};

// ---------------------------------------------------------------------------------------------
// Failure and time.

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("scsibench: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void die_errno(const char *call, int err) { die("%s failed: %s (errno %d)", call, strerror(err), err); }

static uint64_t now_ns(void) {
  struct timespec t;
  if (clock_gettime(CLOCK_MONOTONIC, &t) != 0) die_errno("clock_gettime", errno);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void *xaligned(size_t bytes) {
  void *p = NULL;
  // Page-aligned like the addon's registered buffers, so both sides pin the same number of pages.
  int ret = posix_memalign(&p, 4096, bytes);
  if (ret != 0) die_errno("posix_memalign", ret);
  memset(p, 0, bytes);
  return p;
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n, size);
  if (p == NULL) die_errno("calloc", ENOMEM);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Latency samples: bounded memory on any run length. When full, every other sample is dropped and
// the stride doubles, so the kept ones stay spread over the whole run. The mean is exact.

struct samples {
  uint32_t *v;
  size_t n;
  uint64_t stride;
  uint64_t seen;
  long double sum;
  uint64_t total;
  uint64_t min, max;
};

static void samples_init(struct samples *s) {
  memset(s, 0, sizeof *s);
  s->v = xcalloc(MAX_SAMPLES, sizeof *s->v);
  s->stride = 1;
  s->min = UINT64_MAX;
}

static void samples_add(struct samples *s, uint64_t ns) {
  s->sum += (long double)ns;
  s->total++;
  if (ns < s->min) s->min = ns;
  if (ns > s->max) s->max = ns;
  if (s->seen++ % s->stride != 0) return;
  if (s->n == MAX_SAMPLES) {
    for (size_t i = 0; i < s->n / 2; i++) s->v[i] = s->v[2 * i];
    s->n /= 2;
    s->stride *= 2;
  }
  s->v[s->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

static int cmp_u32(const void *a, const void *b) {
  const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

// Nearest rank, the same definition as bench/src/stats.ts.
static uint64_t percentile(const uint32_t *sorted, size_t n, double p) {
  if (n == 0) return 0;
  size_t rank = (size_t)ceil(p / 100.0 * (double)n);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

// ---------------------------------------------------------------------------------------------
// CDBs and the device's answer.

static void build_inquiry(uint8_t *cdb) {
  memset(cdb, 0, 6);
  cdb[0] = 0x12;
  cdb[4] = INQUIRY_BYTES;
}

// READ(10) while the LBA fits, as scsikit's Device.read picks; READ(16) beyond.
static uint8_t build_read(uint8_t *cdb, uint64_t lba, uint32_t blocks) {
  if (lba + blocks <= 0x100000000ull && blocks <= 0xffff) {
    memset(cdb, 0, 10);
    cdb[0] = 0x28;
    for (int i = 0; i < 4; i++) cdb[2 + i] = (uint8_t)(lba >> (24 - 8 * i));
    cdb[7] = (uint8_t)(blocks >> 8);
    cdb[8] = (uint8_t)blocks;
    return 10;
  }
  memset(cdb, 0, 16);
  cdb[0] = 0x88;
  for (int i = 0; i < 8; i++) cdb[2 + i] = (uint8_t)(lba >> (56 - 8 * i));
  for (int i = 0; i < 4; i++) cdb[10 + i] = (uint8_t)(blocks >> (24 - 8 * i));
  return 16;
}

static void check_scsi(const char *what, unsigned status, unsigned host, unsigned driver, const uint8_t *sense,
                       unsigned sense_len) {
  if (status == 0 && host == 0) return;
  fprintf(stderr, "scsibench: %s: status 0x%02x host 0x%02x driver 0x%02x", what, status, host, driver);
  if (sense_len >= 14) fprintf(stderr, " sense key 0x%x asc 0x%02x ascq 0x%02x", sense[2] & 0xf, sense[12], sense[13]);
  fputc('\n', stderr);
  exit(2);
}

// The next LBA of a workload: random (aligned to the transfer size) or sequential with wrap-around.
struct lba_gen {
  uint64_t state;
  uint64_t next;
  uint64_t units;   // transfers that fit on the device
  uint32_t blocks;  // blocks per transfer
  bool random;
};

static void lba_init(struct lba_gen *g, const struct config *c) {
  g->blocks = c->bs / c->block_size;
  g->units = c->lba_count / g->blocks;
  if (g->units == 0) die("the device (%" PRIu64 " blocks) is smaller than one transfer", c->lba_count);
  g->state = c->seed != 0 ? c->seed : 0x9e3779b97f4a7c15ull;
  g->next = 0;
  g->random = c->op == OP_RANDREAD;
}

static uint64_t lba_next(struct lba_gen *g) {
  if (!g->random) {
    uint64_t lba = g->next * g->blocks;
    g->next = (g->next + 1) % g->units;
    return lba;
  }
  // xorshift64*: cheap, and the same sequence for every mode of one run.
  g->state ^= g->state >> 12;
  g->state ^= g->state << 25;
  g->state ^= g->state >> 27;
  return ((g->state * 0x2545f4914f6cdd1dull) % g->units) * g->blocks;
}

// ---------------------------------------------------------------------------------------------
// Rings.

static void ring_init(struct io_uring *ring, unsigned entries, bool big) {
  // The same set-up as the addon's ring (native/queue.cc): SQE128|CQE32, single issuer when the
  // kernel has it, a CQ twice the SQ.
  int ret = -EINVAL;
  for (int attempt = 0; attempt < 2; attempt++) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_CQSIZE | (attempt == 0 ? IORING_SETUP_SINGLE_ISSUER : 0);
    if (big) p.flags |= IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
    p.cq_entries = entries * 2;
    ret = io_uring_queue_init_params(entries, ring, &p);
    if (ret != -EINVAL) break;
  }
  if (ret < 0) die_errno("io_uring_queue_init_params", -ret);
}

static unsigned pow2_at_least(unsigned n) {
  unsigned p = 1;
  while (p < n) p <<= 1;
  return p;
}

// Submits what is queued and waits for `wait` completions; -EINTR is retried, anything else fatal.
static void submit_and_wait(struct io_uring *ring, unsigned wait) {
  for (;;) {
    int ret = io_uring_submit_and_wait(ring, wait);
    if (ret >= 0) return;
    if (ret == -EINTR) continue;
    // -EBUSY / -EAGAIN: the CQ is full or the kernel is short of memory; reaping makes room.
    if ((ret == -EBUSY || ret == -EAGAIN) && io_uring_cq_ready(ring) > 0) return;
    die_errno("io_uring_submit_and_wait", -ret);
  }
}

struct slot {
  uint8_t cdb[16];
  uint8_t cdb_len;
  uint8_t sense[SENSE_BYTES];
  uint8_t *buf;
  uint32_t len;
  uint64_t start;
};

static void prep_uring_cmd(struct io_uring *ring, int fd, struct slot *s, unsigned index, bool fixed,
                           uint32_t timeout_ms) {
  struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
  if (sqe == NULL) die("io_uring_get_sqe: the SQ is full (ring too small)");
  memset(sqe, 0, 128);  // cmd_op, reserved and unused fields must be 0
  sqe->opcode = IORING_OP_URING_CMD;
  sqe->fd = fd;
  sqe->user_data = index;
  struct bsg_uring_cmd *c = (struct bsg_uring_cmd *)sqe->cmd;
  c->request = (uintptr_t)s->cdb;
  c->request_len = s->cdb_len;
  c->max_response_len = SENSE_BYTES;
  c->response = (uintptr_t)s->sense;
  c->din_xferp = (uintptr_t)s->buf;
  c->din_xfer_len = s->len;
  c->timeout_ms = timeout_ms;
  if (fixed) {
    // Registered buffer `index`; din_xferp stays the address inside it (io_uring_cmd_import_fixed).
    sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
    sqe->buf_index = (uint16_t)index;
  }
}

static void check_uring_cqe(const struct io_uring_cqe *cqe, const struct slot *s, const char *what,
                            bool want_full) {
  if (cqe->res < 0) die("%s: the kernel refused the command: %s (%d)", what, strerror(-cqe->res), cqe->res);
  const uint64_t info = cqe->big_cqe[0];
  check_scsi(what, info & 0xff, (info >> 16) & 0xff, (info >> 8) & 0xff, s->sense, (info >> 24) & 0xff);
  if (want_full && (info >> 32) != 0) die("%s: short transfer, residual %" PRIu64, what, info >> 32);
}

// ---------------------------------------------------------------------------------------------
// Results.

struct result {
  uint64_t commands;
  uint64_t bytes;
  uint64_t elapsed_ns;
  struct samples lat;  // per command; for batches, the batch's time divided by its size
};

static void print_result(const struct config *c, struct result *r) {
  qsort(r->lat.v, r->lat.n, sizeof *r->lat.v, cmp_u32);
  const double secs = (double)r->elapsed_ns / 1e9;
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) die_errno("getrusage", errno);
  printf("{\"tool\":\"scsibench\",\"op\":\"%s\",\"mode\":\"%s\",\"path\":\"%s\",\"qd\":%u,\"batch\":%u,"
         "\"bs\":%u,\"count\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64
         ",\"ops_per_sec\":%.1f,\"mb_per_sec\":%.3f,\"max_rss_kib\":%ld,"
         "\"lat_ns\":{\"samples\":%zu,\"mean\":%.1f,\"min\":%" PRIu64 ",\"p50\":%" PRIu64 ",\"p90\":%" PRIu64
         ",\"p99\":%" PRIu64 ",\"p999\":%" PRIu64 ",\"max\":%" PRIu64 "}}\n",
         c->op_name, c->mode_name, c->path != NULL ? c->path : "", c->qd, c->batch, c->op == OP_NOP ? 0 : c->bs,
         r->commands, r->bytes, r->elapsed_ns, secs > 0 ? (double)r->commands / secs : 0.0,
         secs > 0 ? (double)r->bytes / secs / 1e6 : 0.0, ru.ru_maxrss,
         r->lat.n, r->lat.total > 0 ? (double)(r->lat.sum / r->lat.total) : 0.0,
         r->lat.total > 0 ? r->lat.min : 0, percentile(r->lat.v, r->lat.n, 50), percentile(r->lat.v, r->lat.n, 90),
         percentile(r->lat.v, r->lat.n, 99), percentile(r->lat.v, r->lat.n, 99.9), r->lat.max);
  if (fflush(stdout) != 0) die_errno("fflush", errno);
}

static bool limit_reached(const struct config *c, uint64_t issued, uint64_t start, uint64_t now) {
  if (c->count > 0 && issued >= c->count) return true;
  return c->seconds > 0 && (double)(now - start) >= c->seconds * 1e9;
}

static int open_device(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open %s failed: %s", path, strerror(errno));
  return fd;
}

static void close_device(int fd) {
  if (close(fd) != 0) die_errno("close", errno);
}

// ---------------------------------------------------------------------------------------------
// io_uring, QD N: every completion immediately refills its slot.

static void run_uring_queue(const struct config *c, struct result *r) {
  const bool fixed = c->mode == MODE_URING_FIXED;
  const unsigned qd = c->qd;
  const int fd = open_device(c->path);
  struct io_uring ring;
  ring_init(&ring, pow2_at_least(qd), true);
  struct slot *slots = xcalloc(qd, sizeof *slots);
  struct iovec *iov = xcalloc(qd, sizeof *iov);
  unsigned *prepped = xcalloc(qd, sizeof *prepped);
  const uint32_t len = c->op == OP_INQUIRY ? INQUIRY_BYTES : c->bs;
  for (unsigned i = 0; i < qd; i++) {
    slots[i].buf = xaligned(len);
    slots[i].len = len;
    iov[i] = (struct iovec){slots[i].buf, len};
  }
  if (fixed) {
    int ret = io_uring_register_buffers(&ring, iov, qd);
    if (ret < 0) die_errno("io_uring_register_buffers", -ret);
  }
  struct lba_gen g;
  if (c->op != OP_INQUIRY) lba_init(&g, c);

  uint64_t issued = 0, inflight = 0;
  unsigned nprepped = 0;
  const uint64_t start = now_ns();
  for (unsigned i = 0; i < qd && !limit_reached(c, issued, start, start); i++) {
    struct slot *s = &slots[i];
    if (c->op == OP_INQUIRY) {
      build_inquiry(s->cdb);
      s->cdb_len = 6;
    } else {
      s->cdb_len = build_read(s->cdb, lba_next(&g), g.blocks);
    }
    prep_uring_cmd(&ring, fd, s, i, fixed, c->timeout_ms);
    prepped[nprepped++] = i;
    issued++;
    inflight++;
  }
  uint64_t end = start;
  while (inflight > 0) {
    const uint64_t t = now_ns();
    for (unsigned k = 0; k < nprepped; k++) slots[prepped[k]].start = t;
    nprepped = 0;
    submit_and_wait(&ring, 1);
    const uint64_t done_at = now_ns();
    const bool stop = limit_reached(c, issued, start, done_at);
    unsigned head, seen = 0;
    struct io_uring_cqe *cqe;
    io_uring_for_each_cqe(&ring, head, cqe) {
      seen++;
      const uint64_t i = cqe->user_data;
      if (i >= qd) die("a completion for unknown slot %" PRIu64, i);
      struct slot *s = &slots[i];
      check_uring_cqe(cqe, s, c->op_name, c->op != OP_INQUIRY);
      samples_add(&r->lat, done_at - s->start);
      r->commands++;
      r->bytes += s->len;
      inflight--;
      // Only now may the slot's CDB and buffer change: the kernel is done with them (LAB.md).
      if (!stop && !limit_reached(c, issued, start, done_at)) {
        if (c->op == OP_INQUIRY) build_inquiry(s->cdb);
        else s->cdb_len = build_read(s->cdb, lba_next(&g), g.blocks);
        prep_uring_cmd(&ring, fd, s, (unsigned)i, fixed, c->timeout_ms);
        prepped[nprepped++] = (unsigned)i;
        issued++;
        inflight++;
      }
    }
    io_uring_cq_advance(&ring, seen);
    end = done_at;
  }
  r->elapsed_ns = end - start;
  if (fixed) {
    int ret = io_uring_unregister_buffers(&ring);
    if (ret < 0) die_errno("io_uring_unregister_buffers", -ret);
  }
  io_uring_queue_exit(&ring);
  close_device(fd);
}

// io_uring, batches of N: submit N, wait for all N, repeat (the seed's "batch 64" INQUIRY row).
// One sample per batch: its time divided by N, the time per command a caller of batches sees.
static void run_uring_batch(const struct config *c, struct result *r) {
  const unsigned batch = c->batch;
  const int fd = open_device(c->path);
  struct io_uring ring;
  ring_init(&ring, pow2_at_least(batch), true);
  struct slot *slots = xcalloc(batch, sizeof *slots);
  for (unsigned i = 0; i < batch; i++) {
    slots[i].buf = xaligned(INQUIRY_BYTES);
    slots[i].len = INQUIRY_BYTES;
    build_inquiry(slots[i].cdb);
    slots[i].cdb_len = 6;
  }
  const uint64_t start = now_ns();
  uint64_t t = start;
  while (!limit_reached(c, r->commands, start, t)) {
    for (unsigned i = 0; i < batch; i++) prep_uring_cmd(&ring, fd, &slots[i], i, false, c->timeout_ms);
    const uint64_t t0 = now_ns();
    unsigned got = 0;
    while (got < batch) {
      submit_and_wait(&ring, batch - got);
      unsigned head, seen = 0;
      struct io_uring_cqe *cqe;
      io_uring_for_each_cqe(&ring, head, cqe) {
        seen++;
        if (cqe->user_data >= batch) die("a completion for unknown slot %" PRIu64, (uint64_t)cqe->user_data);
        check_uring_cqe(cqe, &slots[cqe->user_data], c->op_name, false);
      }
      io_uring_cq_advance(&ring, seen);
      got += seen;
    }
    t = now_ns();
    samples_add(&r->lat, (t - t0) / batch);
    r->commands += batch;
    r->bytes += (uint64_t)batch * INQUIRY_BYTES;
  }
  r->elapsed_ns = t - start;
  io_uring_queue_exit(&ring);
  close_device(fd);
}

// ---------------------------------------------------------------------------------------------
// SG_IO (one command per ioctl, QD 1): v3 on /dev/sgN, v4 on /dev/bsg.

static void sgio_one(const struct config *c, int fd, struct slot *s) {
  if (c->mode == MODE_SGV3) {
    sg_io_hdr_t h;
    memset(&h, 0, sizeof h);
    h.interface_id = 'S';
    h.dxfer_direction = SG_DXFER_FROM_DEV;
    h.cmd_len = s->cdb_len;
    h.mx_sb_len = SENSE_BYTES;
    h.dxfer_len = s->len;
    h.dxferp = s->buf;
    h.cmdp = s->cdb;
    h.sbp = s->sense;
    h.timeout = c->timeout_ms;
    if (ioctl(fd, SG_IO, &h) < 0) die_errno("ioctl(SG_IO v3)", errno);
    check_scsi(c->op_name, h.status, h.host_status, h.driver_status, s->sense, h.sb_len_wr);
    if (c->op != OP_INQUIRY && h.resid != 0) die("%s: short transfer, residual %d", c->op_name, h.resid);
  } else {
    struct sg_io_v4 h;
    memset(&h, 0, sizeof h);
    h.guard = 'Q';
    h.protocol = BSG_PROTOCOL_SCSI;
    h.subprotocol = BSG_SUB_PROTOCOL_SCSI_CMD;
    h.request_len = s->cdb_len;
    h.request = (uintptr_t)s->cdb;
    h.max_response_len = SENSE_BYTES;
    h.response = (uintptr_t)s->sense;
    h.din_xfer_len = s->len;
    h.din_xferp = (uintptr_t)s->buf;
    h.timeout = c->timeout_ms;
    if (ioctl(fd, SG_IO, &h) < 0) die_errno("ioctl(SG_IO v4)", errno);
    check_scsi(c->op_name, h.device_status, h.transport_status, h.driver_status, s->sense, h.response_len);
    if (c->op != OP_INQUIRY && h.din_resid != 0) die("%s: short transfer, residual %d", c->op_name, h.din_resid);
  }
}

static void run_sgio(const struct config *c, struct result *r) {
  const int fd = open_device(c->path);
  struct slot s;
  memset(&s, 0, sizeof s);
  s.len = c->op == OP_INQUIRY ? INQUIRY_BYTES : c->bs;
  s.buf = xaligned(s.len);
  struct lba_gen g;
  if (c->op != OP_INQUIRY) lba_init(&g, c);
  const uint64_t start = now_ns();
  uint64_t t = start;
  while (!limit_reached(c, r->commands, start, t)) {
    if (c->op == OP_INQUIRY) {
      build_inquiry(s.cdb);
      s.cdb_len = 6;
    } else {
      s.cdb_len = build_read(s.cdb, lba_next(&g), g.blocks);
    }
    const uint64_t t0 = now_ns();
    sgio_one(c, fd, &s);
    t = now_ns();
    samples_add(&r->lat, t - t0);
    r->commands++;
    r->bytes += s.len;
  }
  r->elapsed_ns = t - start;
  close_device(fd);
}

// ---------------------------------------------------------------------------------------------
// IORING_OP_NOP in batches on the same kind of ring the addon uses: the floor of the host NOP path.

static void run_nop(const struct config *c, struct result *r) {
  const unsigned batch = c->batch;
  struct io_uring ring;
  ring_init(&ring, pow2_at_least(batch), true);
  const uint64_t start = now_ns();
  uint64_t t = start;
  while (!limit_reached(c, r->commands, start, t)) {
    for (unsigned i = 0; i < batch; i++) {
      struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
      if (sqe == NULL) die("io_uring_get_sqe: the SQ is full");
      io_uring_prep_nop(sqe);
      sqe->user_data = i;
    }
    const uint64_t t0 = now_ns();
    unsigned got = 0;
    while (got < batch) {
      submit_and_wait(&ring, batch - got);
      unsigned head, seen = 0;
      struct io_uring_cqe *cqe;
      io_uring_for_each_cqe(&ring, head, cqe) {
        seen++;
        if (cqe->res < 0) die("IORING_OP_NOP completed with %d", cqe->res);
      }
      io_uring_cq_advance(&ring, seen);
      got += seen;
    }
    t = now_ns();
    samples_add(&r->lat, (t - t0) / batch);
    r->commands += batch;
  }
  r->elapsed_ns = t - start;
  io_uring_queue_exit(&ring);
}

// ---------------------------------------------------------------------------------------------
// Options.

static uint64_t parse_u64(const char *name, const char *v, uint64_t min, uint64_t max) {
  char *end = NULL;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (errno != 0 || end == v || *end != '\0' || v[0] == '-' || n < min || n > max) {
    die("--%s must be an integer in [%" PRIu64 ", %" PRIu64 "], got \"%s\"", name, min, max, v);
  }
  return n;
}

static void usage(void) {
  fputs("usage: scsibench inquiry|randread|seqread|nop [--path P] [--mode sgv3|sgv4|uring|uring-fixed]\n"
        "       [--qd N] [--batch N] [--count N] [--seconds S] [--bs BYTES] [--lba-count N]\n"
        "       [--block-size BYTES] [--timeout-ms MS] [--seed N]\n",
        stderr);
  exit(64);
}

static void parse(int argc, char **argv, struct config *c) {
  if (argc < 2) usage();
  memset(c, 0, sizeof *c);
  c->op_name = argv[1];
  if (strcmp(argv[1], "inquiry") == 0) c->op = OP_INQUIRY;
  else if (strcmp(argv[1], "randread") == 0) c->op = OP_RANDREAD;
  else if (strcmp(argv[1], "seqread") == 0) c->op = OP_SEQREAD;
  else if (strcmp(argv[1], "nop") == 0) c->op = OP_NOP;
  else usage();
  c->qd = 1;
  c->batch = 1;
  c->block_size = 512;
  c->timeout_ms = 30000;
  c->bs = c->op == OP_SEQREAD ? 131072 : 4096;
  c->mode_name = "none";
  static const struct option opts[] = {
      {"path", required_argument, NULL, 'p'},       {"mode", required_argument, NULL, 'm'},
      {"qd", required_argument, NULL, 'q'},         {"batch", required_argument, NULL, 'b'},
      {"count", required_argument, NULL, 'n'},      {"seconds", required_argument, NULL, 's'},
      {"bs", required_argument, NULL, 'B'},         {"lba-count", required_argument, NULL, 'L'},
      {"block-size", required_argument, NULL, 'Z'}, {"timeout-ms", required_argument, NULL, 'T'},
      {"seed", required_argument, NULL, 'S'},       {NULL, 0, NULL, 0},
  };
  int ch;
  optind = 2;
  while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (ch) {
      case 'p': c->path = optarg; break;
      case 'm':
        c->mode_name = optarg;
        if (strcmp(optarg, "sgv3") == 0) c->mode = MODE_SGV3;
        else if (strcmp(optarg, "sgv4") == 0) c->mode = MODE_SGV4;
        else if (strcmp(optarg, "uring") == 0) c->mode = MODE_URING;
        else if (strcmp(optarg, "uring-fixed") == 0) c->mode = MODE_URING_FIXED;
        else die("unknown --mode \"%s\"", optarg);
        break;
      case 'q': c->qd = (unsigned)parse_u64("qd", optarg, 1, 4096); break;
      case 'b': c->batch = (unsigned)parse_u64("batch", optarg, 1, 4096); break;
      case 'n': c->count = parse_u64("count", optarg, 0, UINT64_MAX / 2); break;
      case 's': {
        char *end = NULL;
        errno = 0;
        c->seconds = strtod(optarg, &end);
        if (errno != 0 || end == optarg || *end != '\0' || !(c->seconds >= 0 && c->seconds <= 86400)) {
          die("--seconds must be a number in [0, 86400], got \"%s\"", optarg);
        }
        break;
      }
      case 'B': c->bs = (uint32_t)parse_u64("bs", optarg, 512, 8u << 20); break;
      case 'L': c->lba_count = parse_u64("lba-count", optarg, 1, UINT64_MAX / 2); break;
      case 'Z': c->block_size = (uint32_t)parse_u64("block-size", optarg, 512, 65536); break;
      case 'T': c->timeout_ms = (uint32_t)parse_u64("timeout-ms", optarg, 1, 3600000); break;
      case 'S': c->seed = parse_u64("seed", optarg, 0, UINT64_MAX / 2); break;
      default: usage();
    }
  }
  if (optind != argc) usage();
  if (c->count == 0 && c->seconds == 0) die("give --count or --seconds (or both)");
  if (c->op == OP_NOP) return;
  if (c->path == NULL) die("%s needs --path", c->op_name);
  if (c->mode == MODE_NONE) die("%s needs --mode", c->op_name);
  const bool uring = c->mode == MODE_URING || c->mode == MODE_URING_FIXED;
  if (!uring && (c->qd != 1 || c->batch != 1)) die("SG_IO runs one command at a time: --qd and --batch must be 1");
  if (c->qd > 1 && c->batch > 1) die("--qd and --batch are exclusive");
  if (c->op == OP_INQUIRY && c->mode == MODE_URING_FIXED) die("inquiry has no fixed-buffer mode");
  if (c->op != OP_INQUIRY) {
    if (c->batch != 1) die("reads take --qd, not --batch");
    if (c->lba_count == 0) die("%s needs --lba-count", c->op_name);
    if (c->bs % c->block_size != 0) die("--bs must be a multiple of --block-size");
  }
}

int main(int argc, char **argv) {
  struct config c;
  parse(argc, argv, &c);
  struct result r;
  memset(&r, 0, sizeof r);
  samples_init(&r.lat);
  if (c.op == OP_NOP) run_nop(&c, &r);
  else if (c.mode == MODE_SGV3 || c.mode == MODE_SGV4) run_sgio(&c, &r);
  else if (c.op == OP_INQUIRY && c.batch > 1) run_uring_batch(&c, &r);
  else run_uring_queue(&c, &r);
  print_result(&c, &r);
  free(r.lat.v);
  return 0;
}
