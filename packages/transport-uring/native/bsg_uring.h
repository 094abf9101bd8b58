// Wire structures of the Linux >= 7.1 BSG io_uring passthrough. Not in bookworm's uapi headers,
// so declared here with size asserts; layout verified against the kernel (see LAB.md).
#pragma once
#include <cstdint>

namespace scsikit {

// Lives in the 80-byte `cmd` area of a 128-byte SQE (IORING_SETUP_SQE128).
struct bsg_uring_cmd {
  uint64_t request;           // CDB address
  uint32_t request_len;       // CDB length, 1..32 (0 or > 32: -EINVAL)
  uint32_t protocol;          // 0 = SCSI
  uint32_t subprotocol;       // 0 = SCSI command
  uint32_t max_response_len;  // sense buffer size; 0 means no sense at all
  uint64_t response;          // sense buffer address
  uint64_t dout_xferp;
  uint32_t dout_xfer_len;
  uint32_t dout_iovec_count;  // must be 0
  uint64_t din_xferp;
  uint32_t din_xfer_len;
  uint32_t din_iovec_count;   // must be 0
  uint32_t timeout_ms;        // 0 -> 60 s
  uint8_t reserved[12];       // ignored by the kernel; zeroed
};
static_assert(sizeof(bsg_uring_cmd) == 80, "bsg_uring_cmd must fill the SQE128 cmd area");

// big_cqe[0] of a 32-byte CQE: device status | driver status << 8 | host status << 16 |
// sense bytes written << 24 | residual << 32.
constexpr int kSqeSize = 128;
constexpr int kCqeSize = 32;
constexpr int kSenseBytes = 96;

}  // namespace scsikit
