#include "ring.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include "bsg_uring.h"

namespace scsikit {

namespace {

uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

int Ring::Init(unsigned entries) {
  if (open_) return -EALREADY;
  const unsigned required = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
  // DEFER_TASKRUN is left for the async transport, which reaps only from the submitting thread.
  const unsigned attempts[] = {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN,
                               IORING_SETUP_COOP_TASKRUN, 0};
  int ret = -EINVAL;
  for (unsigned extra : attempts) {
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    p.flags = required | extra;
    ret = io_uring_queue_init_params(entries, &ring_, &p);
    if (ret == 0) {
      flags_ = p.flags;
      open_ = true;
      return 0;
    }
    if (ret != -EINVAL) return ret;
  }
  return ret;
}

void Ring::Close() {
  if (!open_) return;
  io_uring_queue_exit(&ring_);
  open_ = false;
}

int Ring::WaitOne(io_uring_cqe** cqe) {
  for (;;) {
    int ret = io_uring_wait_cqe(&ring_, cqe);
    if (ret != -EINTR) return ret;
  }
}

long Ring::Nops(unsigned long count, unsigned batch, unsigned long* bad) {
  if (!open_) return -EBADF;
  if (batch == 0 || batch > sq_entries()) batch = sq_entries();
  *bad = 0;
  unsigned long done = 0;
  while (done < count) {
    unsigned n = 0;
    while (n < batch && done + n < count) {
      io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
      if (sqe == nullptr) break;
      io_uring_prep_nop(sqe);
      sqe->user_data = done + n;
      n++;
    }
    int ret;
    do {
      ret = io_uring_submit_and_wait(&ring_, n);
    } while (ret == -EINTR);
    if (ret < 0) return ret;
    unsigned reaped = 0;
    while (reaped < n) {
      io_uring_cqe* cqe;
      ret = WaitOne(&cqe);
      if (ret < 0) return ret;
      if (cqe->res != 0) (*bad)++;
      io_uring_cqe_seen(&ring_, cqe);
      reaped++;
    }
    done += n;
  }
  return static_cast<long>(done);
}

io_uring_sqe* Ring::PrepUringCmd(int fd, const uint8_t* cdb, uint32_t cdb_len, Direction dir, uint8_t* data,
                                 uint32_t data_len, uint8_t* sense, uint32_t sense_len, uint32_t timeout_ms) {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) return nullptr;
  // Zero all 128 bytes: cmd_op, reserved and unused fields must be 0.
  std::memset(sqe, 0, kSqeSize);
  sqe->opcode = IORING_OP_URING_CMD;
  sqe->fd = fd;
  sqe->user_data = 1;
  auto* cmd = reinterpret_cast<bsg_uring_cmd*>(sqe->cmd);
  cmd->request = reinterpret_cast<uintptr_t>(cdb);
  cmd->request_len = cdb_len;
  cmd->max_response_len = sense_len;
  cmd->response = reinterpret_cast<uintptr_t>(sense);
  cmd->timeout_ms = timeout_ms;
  if (dir == Direction::kIn) {
    cmd->din_xferp = reinterpret_cast<uintptr_t>(data);
    cmd->din_xfer_len = data_len;
  } else if (dir == Direction::kOut) {
    cmd->dout_xferp = reinterpret_cast<uintptr_t>(data);
    cmd->dout_xfer_len = data_len;
  }
  return sqe;
}

int Ring::UringCmdSync(int fd, const uint8_t* cdb, uint32_t cdb_len, Direction dir, uint8_t* data,
                       uint32_t data_len, uint8_t* sense, uint32_t sense_len, uint32_t timeout_ms,
                       CmdResult* out) {
  if (!open_) return -EBADF;
  if (PrepUringCmd(fd, cdb, cdb_len, dir, data, data_len, sense, sense_len, timeout_ms) == nullptr) return -EBUSY;
  const uint64_t start = NowNs();
  int ret;
  do {
    ret = io_uring_submit(&ring_);
  } while (ret == -EINTR);
  if (ret < 0) return ret;
  if (ret != 1) return -EAGAIN;
  io_uring_cqe* cqe;
  ret = WaitOne(&cqe);
  if (ret < 0) return ret;
  out->res = cqe->res;
  out->info = cqe->big_cqe[0];
  out->nsec = NowNs() - start;
  io_uring_cqe_seen(&ring_, cqe);
  return 0;
}

int Ring::UringCmdWait(int fd, const uint8_t* cdb, uint32_t cdb_len, Direction dir, uint8_t* data,
                       uint32_t data_len, uint8_t* sense, uint32_t sense_len, uint32_t timeout_ms,
                       CmdResult* out) {
  if (!open_) return -EBADF;
  if (PrepUringCmd(fd, cdb, cdb_len, dir, data, data_len, sense, sense_len, timeout_ms) == nullptr) return -EBUSY;
  int ret;
  do {
    ret = io_uring_submit_and_wait(&ring_, 1);
  } while (ret == -EINTR);
  if (ret < 0) return ret;
  if (ret != 1) return -EAGAIN;
  io_uring_cqe* cqe;
  // Already posted when submit_and_wait returned; WaitOne only peeks (no second enter).
  ret = WaitOne(&cqe);
  if (ret < 0) return ret;
  out->res = cqe->res;
  out->info = cqe->big_cqe[0];
  out->nsec = 0;
  io_uring_cqe_seen(&ring_, cqe);
  return 0;
}

}  // namespace scsikit
