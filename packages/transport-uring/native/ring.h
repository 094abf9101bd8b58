// A 128-byte-SQE / 32-byte-CQE io_uring and the synchronous submit paths built on it.
// Every function returns 0 (or a count) on success and -errno on failure: one convention.
#pragma once
#include <liburing.h>

#include <cstdint>

namespace scsikit {

enum class Direction : int { kNone = 0, kIn = 1, kOut = 2 };

struct CmdResult {
  int32_t res;        // cqe->res: 0, or -errno when the kernel refused the command
  uint64_t info;      // big_cqe[0]: status | driver << 8 | host << 16 | sense_len << 24 | resid << 32
  uint64_t nsec;      // submit-to-completion latency
};

class Ring {
 public:
  Ring() = default;
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  ~Ring() { Close(); }

  // SQE128|CQE32 are mandatory for the BSG passthrough; the optional flags are dropped one by
  // one when the kernel answers -EINVAL (older kernels), as xNVMe and fio do.
  int Init(unsigned entries);
  void Close();
  bool open() const { return open_; }
  unsigned flags() const { return flags_; }
  unsigned sq_entries() const { return ring_.sq.ring_entries; }
  unsigned cq_entries() const { return ring_.cq.ring_entries; }

  // Submits `count` NOPs in batches of at most `batch` and reaps every completion.
  // Returns the number completed, or -errno; *bad counts CQEs whose res was not 0.
  long Nops(unsigned long count, unsigned batch, unsigned long* bad);

  // One IORING_OP_URING_CMD on a /dev/bsg fd, waited for. The caller's buffers are only
  // touched while this call runs, so no completion can outlive them.
  // The bench's floor (issue #20): the same SQE, sent and waited for with ONE io_uring_enter
  // (io_uring_submit_and_wait, as the C bench's QD 1 loop does), nothing allocated per call.
  int UringCmdWait(int fd, const uint8_t* cdb, uint32_t cdb_len, Direction dir, uint8_t* data, uint32_t data_len,
                   uint8_t* sense, uint32_t sense_len, uint32_t timeout_ms, CmdResult* out);
  int UringCmdSync(int fd, const uint8_t* cdb, uint32_t cdb_len, Direction dir, uint8_t* data,
                   uint32_t data_len, uint8_t* sense, uint32_t sense_len, uint32_t timeout_ms,
                   CmdResult* out);

 private:
  int WaitOne(io_uring_cqe** cqe);
  // The SQE of one bsg command (all 128 bytes written), or nullptr when the SQ is full.
  io_uring_sqe* PrepUringCmd(int fd, const uint8_t* cdb, uint32_t cdb_len, Direction dir, uint8_t* data,
                             uint32_t data_len, uint8_t* sense, uint32_t sense_len, uint32_t timeout_ms);

  io_uring ring_{};
  bool open_ = false;
  unsigned flags_ = 0;
};

}  // namespace scsikit
