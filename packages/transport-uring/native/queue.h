// The asynchronous io_uring engine: one ring per JS thread, an eventfd registered with the ring and
// watched by a uv_poll_t on that thread's loop. Submissions are written to the SQ and sent with one
// io_uring_enter per flush; each wake-up drains the CQ and calls into JS once per batch.
#pragma once
#include <liburing.h>
#include <napi.h>
#include <uv.h>

#include <cstdint>
#include <vector>

namespace scsikit {

// One completion as JS reads it from the shared completion area (6 x uint32 per entry).
struct CompletionRecord {
  uint32_t slot;
  int32_t res;
  uint32_t info_lo;
  uint32_t info_hi;
  uint32_t latency_lo;  // ns from the io_uring_enter that sent it to the drain that reaped it
  uint32_t latency_hi;
};
static_assert(sizeof(CompletionRecord) == 24, "JS reads completions as 6 x uint32");
constexpr uint32_t kRecordWords = sizeof(CompletionRecord) / 4;
// flush(true) returns sent | reaped << kReapedShift (both at most 4096).
constexpr uint32_t kReapedShift = 16;

constexpr uint32_t kCdbStride = 32;     // bytes of the shared CDB area per slot
// The stage record: int32 words per staged submission, written by JS (thread-queue.ts reads these
// offsets from the addon's STAGE_FIELDS, so they are named here only); flush(reap, n) turns n of
// them into SQEs.
enum StageField : uint32_t {
  kStageSlot = 0,
  kStageOp = 1,         // kStageNop or kStageCmd
  kStageFd = 2,         // a command's /dev/bsg fd; for a NOP, kStageViaWorker
  kStageCdbLen = 3,
  kStageDirection = 4,  // 0 none, 1 to the device, 2 from it
  kStageDataLen = 5,
  kStageSenseLen = 6,
  kStageTimeoutMs = 7,
  kStageBufIndex = 8,   // registered buffer index, or -1
  kStageWords = 9,
};
// A NOP's word 2: nonzero sends it through an io-wq worker (IOSQE_ASYNC).
constexpr uint32_t kStageViaWorker = kStageFd;
constexpr int32_t kStageNop = 0;
constexpr int32_t kStageCmd = 1;
constexpr uint32_t kSenseStride = 256;  // bytes of the shared sense area per slot (SPC max 252)

class QueueWrap : public Napi::ObjectWrap<QueueWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit QueueWrap(const Napi::CallbackInfo& info);
  ~QueueWrap() override;

 private:
  struct Slot {
    bool busy = false;
    uint64_t sent_ns = 0;  // when io_uring_enter took it (one clock read per flush)
  };

  Napi::Value Flush(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value RegisterBuffers(const Napi::CallbackInfo& info);
  Napi::Value Pending(const Napi::CallbackInfo& info);
  Napi::Value Flags(const Napi::CallbackInfo& info);
  Napi::Value Entries(const Napi::CallbackInfo& info);
  Napi::Value IsOpen(const Napi::CallbackInfo& info);

  void RequireOpen(Napi::Env env) const;
  io_uring_sqe* NextSqe(Napi::Env env, uint32_t slot);
  // Range checks of one staged command; throws RangeError.
  void CheckCmd(Napi::Env env, uint32_t cdb_len, int dir, uint32_t sense_len, int32_t buf_index) const;
  // Fills a zeroed SQE with one BSG uring_cmd and marks its slot owned by the kernel.
  void PrepCmd(io_uring_sqe* sqe, uint32_t slot, int fd, uint32_t cdb_len, int dir, uint8_t* data,
               uint32_t data_len, uint32_t sense_len, uint32_t timeout_ms, int32_t buf_index);
  void Claim(uint32_t slot);
  // Turns `count` records of the stage area into SQEs: all are checked first, so a bad record
  // throws with the ring untouched.
  void SubmitStaged(Napi::Env env, uint32_t count);
  void UpdateRef();
  // io_uring_submit, stamping what it sent with one clock read; returns its result.
  int SubmitAndStamp();
  // Re-enables the eventfd after a reaping flush, signalling it for CQEs that arrived while it was off.
  void Unquiet();
  // Drains the CQ into the completion area; returns how many records were written.
  uint32_t Drain();
  void Deliver(Napi::Env env, uint32_t count);
  void Teardown(bool wait);
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnPollClosed(uv_handle_t* handle);
  static void CleanupHook(void* arg);

  io_uring ring_{};
  bool open_ = false;
  unsigned flags_ = 0;
  uint32_t entries_ = 0;
  int efd_ = -1;
  uv_poll_t* poll_ = nullptr;
  bool poll_ref_ = false;
  // Reaping flushes turn the eventfd off while the device completes commands inline (see Unquiet).
  bool quiet_mode_ = true;
  uint32_t inflight_ = 0;   // submitted to the SQ and not yet completed
  uint32_t unflushed_ = 0;  // in the SQ, not yet sent with io_uring_enter
  std::vector<uint32_t> unstamped_;  // slots written since the last io_uring_enter
  // OnPoll is delivering: a close() from JS must not drop self_ref_ under OnPoll's feet.
  bool in_poll_ = false;
  bool release_after_poll_ = false;
  bool cleanup_hook_ = false;
  std::vector<Slot> slots_;
  // Shared with JS: CDBs written by JS, sense written by the kernel, completions written by us.
  Napi::Reference<Napi::Value> cdb_area_ref_, sense_area_ref_, completion_area_ref_;
  uint8_t* cdb_area_ = nullptr;
  uint8_t* sense_area_ = nullptr;
  CompletionRecord* completions_ = nullptr;
  // The stage area (JS writes submissions there, see kStageWords), and the JS array in which JS
  // keeps each staged command's data buffer at its slot until the completion has been delivered.
  Napi::Reference<Napi::Value> stage_area_ref_, data_refs_ref_;
  int32_t* stage_ = nullptr;
  std::vector<uint8_t*> staged_data_;
  std::vector<uint8_t> staged_seen_;
  Napi::FunctionReference on_complete_;
  Napi::Reference<Napi::Value> self_ref_;  // keeps the wrapper alive while the poll handle exists
  std::vector<Napi::Reference<Napi::Value>> registered_;  // fixed-buffer ArrayBuffers
  bool buffers_registered_ = false;
  uint32_t buffers_count_ = 0;  // how many registerBuffers registered: the valid bufIndex values
  napi_env env_ = nullptr;
};

}  // namespace scsikit
