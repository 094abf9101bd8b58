#include "queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "bsg_uring.h"
#include "errors.h"

namespace scsikit {

namespace {

uint8_t* TypedArrayBytes(Napi::Env env, const Napi::Value& v, size_t min_bytes, const char* what) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(env, std::string(what) + " must be a Uint8Array");
  auto a = v.As<Napi::Uint8Array>();
  if (a.ByteLength() < min_bytes) throw Napi::RangeError::New(env, std::string(what) + " is too small");
  return a.Data();
}

void FreeAligned(napi_env, void* data, void*) { std::free(data); }

}  // namespace

Napi::Function QueueWrap::Define(Napi::Env env) {
  return DefineClass(env, "Queue",
                     {
                         InstanceMethod<&QueueWrap::Flush>("flush"),
                         InstanceMethod<&QueueWrap::Close>("close"),
                         InstanceMethod<&QueueWrap::RegisterBuffers>("registerBuffers"),
                         InstanceAccessor<&QueueWrap::Pending>("inflight"),
                         InstanceAccessor<&QueueWrap::Flags>("flags"),
                         InstanceAccessor<&QueueWrap::Entries>("entries"),
                         InstanceAccessor<&QueueWrap::IsOpen>("isOpen"),
                     });
}

// new Queue(entries, cdbArea, senseArea, completionArea, onComplete, stageArea, dataRefs)
QueueWrap::QueueWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<QueueWrap>(info) {
  Napi::Env env = info.Env();
  env_ = env;
  if (!info.IsConstructCall()) throw Napi::TypeError::New(env, "Queue must be called with new");
  if (info.Length() < 7 || !info[0].IsNumber() || !info[4].IsFunction()) {
    throw Napi::TypeError::New(
        env, "new Queue(entries, cdbArea, senseArea, completionArea, onComplete, stageArea, dataRefs)");
  }
  const uint32_t entries = ExactU32(env, info[0], "entries");
  if (entries == 0 || entries > 4096 || (entries & (entries - 1)) != 0) {
    throw Napi::RangeError::New(env, "entries must be a power of two in [1, 4096]");
  }
  cdb_area_ = TypedArrayBytes(env, info[1], size_t{entries} * kCdbStride, "cdbArea");
  sense_area_ = TypedArrayBytes(env, info[2], size_t{entries} * kSenseStride, "senseArea");
  completions_ = reinterpret_cast<CompletionRecord*>(
      TypedArrayBytes(env, info[3], size_t{entries} * sizeof(CompletionRecord), "completionArea"));
  if (reinterpret_cast<uintptr_t>(completions_) % alignof(CompletionRecord) != 0) {
    throw Napi::RangeError::New(env, "completionArea must be 4-byte aligned");
  }
  cdb_area_ref_ = Napi::Persistent(info[1]);
  sense_area_ref_ = Napi::Persistent(info[2]);
  completion_area_ref_ = Napi::Persistent(info[3]);
  on_complete_ = Napi::Persistent(info[4].As<Napi::Function>());
  if (!info[5].IsTypedArray() || info[5].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(env, "stageArea must be an Int32Array");
  }
  auto st = info[5].As<Napi::Int32Array>();
  if (st.ElementLength() < size_t{entries} * kStageWords) throw Napi::RangeError::New(env, "stageArea is too small");
  if (!info[6].IsArray()) throw Napi::TypeError::New(env, "dataRefs must be an Array");
  stage_ = st.Data();
  stage_area_ref_ = Napi::Persistent(info[5]);
  data_refs_ref_ = Napi::Persistent(info[6]);
  staged_data_.resize(entries);
  staged_seen_.resize(entries);

  const unsigned required = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
  // No COOP_TASKRUN/DEFER_TASKRUN: their task work does not wake a thread asleep in epoll_wait, so
  // the eventfd would never fire. SINGLE_ISSUER holds: only this JS thread submits.
  int ret = -EINVAL;
  for (unsigned extra : {static_cast<unsigned>(IORING_SETUP_SINGLE_ISSUER), 0u}) {
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    p.flags = required | extra;
    p.cq_entries = entries * 2;
    p.flags |= IORING_SETUP_CQSIZE;
    ret = io_uring_queue_init_params(entries, &ring_, &p);
    if (ret == 0) {
      flags_ = p.flags;
      break;
    }
    if (ret != -EINVAL) break;
  }
  if (ret < 0) throw ErrnoError(env, ret, "io_uring_setup");
  open_ = true;
  entries_ = entries;
  slots_.resize(entries);
  unstamped_.reserve(entries);

  efd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (efd_ < 0) {
    const int e = errno;
    Teardown(false);
    throw ErrnoError(env, -e, "eventfd");
  }
  ret = io_uring_register_eventfd(&ring_, efd_);
  if (ret < 0) {
    Teardown(false);
    throw ErrnoError(env, ret, "io_uring_register_eventfd");
  }
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    Teardown(false);
    throw Napi::Error::New(env, "no libuv loop for this environment");
  }
  poll_ = new uv_poll_t;
  ret = uv_poll_init(loop, poll_, efd_);
  if (ret == 0) ret = uv_poll_start(poll_, UV_READABLE, OnPoll);
  if (ret < 0) {
    delete poll_;
    poll_ = nullptr;
    Teardown(false);
    throw ErrnoError(env, ret, "uv_poll_start");
  }
  poll_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(poll_));  // idle: let the process exit
  self_ref_ = Napi::Persistent(Value().As<Napi::Value>());
  cleanup_hook_ = napi_add_env_cleanup_hook(env, CleanupHook, this) == napi_ok;
}

QueueWrap::~QueueWrap() { Teardown(false); }

void QueueWrap::CleanupHook(void* arg) { static_cast<QueueWrap*>(arg)->Teardown(true); }

void QueueWrap::RequireOpen(Napi::Env env) const {
  if (!open_) throw CodedError(env, "ERR_SCSIKIT_RING_CLOSED", "the ring is closed");
}

io_uring_sqe* QueueWrap::NextSqe(Napi::Env env, uint32_t slot) {
  RequireOpen(env);
  if (slot >= entries_) throw Napi::RangeError::New(env, "slot out of range");
  if (slots_[slot].busy) throw CodedError(env, "ERR_SCSIKIT_SLOT_BUSY", "slot is still owned by the kernel");
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) {
    // SQ full of unflushed entries: send them, then take one.
    int ret = SubmitAndStamp();
    if (ret > 0) unflushed_ -= static_cast<uint32_t>(ret) > unflushed_ ? unflushed_ : ret;
    sqe = io_uring_get_sqe(&ring_);
  }
  if (sqe != nullptr) std::memset(sqe, 0, kSqeSize);  // cmd_op, reserved, unused fields: 0
  return sqe;
}

void QueueWrap::CheckCmd(Napi::Env env, uint32_t cdb_len, int dir, uint32_t sense_len, int32_t buf_index) const {
  if (cdb_len < 1 || cdb_len > kCdbStride) throw Napi::RangeError::New(env, "cdbLen must be 1..32");
  if (dir < 0 || dir > 2) throw Napi::RangeError::New(env, "direction must be 0, 1 or 2");
  if (sense_len < 1 || sense_len > 252) throw Napi::RangeError::New(env, "senseLen must be 1..252");
  // The SQE's buf_index is 16 bits: an unchecked index would silently name another buffer.
  if (buf_index < -1 || (buf_index >= 0 && static_cast<uint32_t>(buf_index) >= buffers_count_)) {
    throw Napi::RangeError::New(env, "bufIndex must be -1 or the index of a registered buffer");
  }
}

void QueueWrap::PrepCmd(io_uring_sqe* sqe, uint32_t slot, int fd, uint32_t cdb_len, int dir, uint8_t* data,
                        uint32_t data_len, uint32_t sense_len, uint32_t timeout_ms, int32_t buf_index) {
  sqe->opcode = IORING_OP_URING_CMD;
  sqe->fd = fd;
  sqe->user_data = slot;
  auto* cmd = reinterpret_cast<bsg_uring_cmd*>(sqe->cmd);
  cmd->request = reinterpret_cast<uintptr_t>(cdb_area_ + size_t{slot} * kCdbStride);
  cmd->request_len = cdb_len;
  cmd->max_response_len = sense_len;
  cmd->response = reinterpret_cast<uintptr_t>(sense_area_ + size_t{slot} * kSenseStride);
  cmd->timeout_ms = timeout_ms;
  if (dir == 1) {
    cmd->din_xferp = reinterpret_cast<uintptr_t>(data);
    cmd->din_xfer_len = data_len;
  } else if (dir == 2) {
    cmd->dout_xferp = reinterpret_cast<uintptr_t>(data);
    cmd->dout_xfer_len = data_len;
  }
  if (buf_index >= 0) {
    sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
    sqe->buf_index = static_cast<uint16_t>(buf_index);
  }
  Claim(slot);
}

void QueueWrap::Claim(uint32_t slot) {
  slots_[slot].busy = true;
  unstamped_.push_back(slot);
  inflight_++;
  unflushed_++;
}

void QueueWrap::SubmitStaged(Napi::Env env, uint32_t count) {
  if (count > entries_) throw Napi::RangeError::New(env, "staged count out of range");
  napi_value refs = data_refs_ref_.Value();
  uint32_t i = 0;
  // Pass 1: every check, no side effect but the duplicate-slot marks (cleared on every exit).
  auto clear_seen = [&] {
    for (uint32_t j = 0; j <= i && j < count; j++) {
      const uint32_t s = static_cast<uint32_t>(stage_[size_t{j} * kStageWords + kStageSlot]);
      if (s < entries_) staged_seen_[s] = 0;
    }
  };
  try {
    for (; i < count; i++) {
      const int32_t* r = stage_ + size_t{i} * kStageWords;
      const uint32_t slot = static_cast<uint32_t>(r[kStageSlot]);
      if (slot >= entries_) throw Napi::RangeError::New(env, "staged slot out of range");
      if (slots_[slot].busy || staged_seen_[slot] != 0) {
        throw CodedError(env, "ERR_SCSIKIT_SLOT_BUSY", "staged slot is still owned by the kernel");
      }
      staged_seen_[slot] = 1;
      staged_data_[i] = nullptr;
      if (r[kStageOp] == kStageNop) continue;
      if (r[kStageOp] != kStageCmd) throw Napi::RangeError::New(env, "staged op must be NOP or URING_CMD");
      const int dir = r[kStageDirection];
      CheckCmd(env, static_cast<uint32_t>(r[kStageCdbLen]), dir, static_cast<uint32_t>(r[kStageSenseLen]),
               r[kStageBufIndex]);
      if (dir == 0) continue;
      napi_value v;
      bool is_typed = false;
      if (napi_get_element(env, refs, slot, &v) != napi_ok || napi_is_typedarray(env, v, &is_typed) != napi_ok ||
          !is_typed) {
        throw Napi::TypeError::New(env, "a staged data transfer needs a Uint8Array at its slot");
      }
      napi_typedarray_type type;
      size_t length = 0;
      void* bytes = nullptr;
      if (napi_get_typedarray_info(env, v, &type, &length, &bytes, nullptr, nullptr) != napi_ok ||
          type != napi_uint8_array) {
        throw Napi::TypeError::New(env, "a staged data transfer needs a Uint8Array at its slot");
      }
      const uint32_t data_len = static_cast<uint32_t>(r[kStageDataLen]);
      if (data_len < 1 || data_len > length) throw Napi::RangeError::New(env, "dataLen must be within the data buffer");
      staged_data_[i] = static_cast<uint8_t*>(bytes);
    }
  } catch (...) {
    clear_seen();
    throw;
  }
  clear_seen();
  // Pass 2: one SQE per record. A free SQE always exists: each slot holds at most one unsent SQE
  // and the SQ has as many entries as there are slots.
  for (i = 0; i < count; i++) {
    const int32_t* r = stage_ + size_t{i} * kStageWords;
    const uint32_t slot = static_cast<uint32_t>(r[kStageSlot]);
    io_uring_sqe* sqe = NextSqe(env, slot);
    if (sqe == nullptr) throw CodedError(env, "ERR_SCSIKIT_SQ_FULL", "no free SQE for a staged command");
    if (r[kStageOp] == kStageNop) {
      sqe->opcode = IORING_OP_NOP;
      sqe->user_data = slot;
      // Through an io-wq worker, which posts the CQE later and from another CPU, as a device
      // completing asynchronously does.
      if (r[kStageViaWorker] != 0) sqe->flags |= IOSQE_ASYNC;
      Claim(slot);
    } else {
      PrepCmd(sqe, slot, r[kStageFd], static_cast<uint32_t>(r[kStageCdbLen]), r[kStageDirection], staged_data_[i],
              static_cast<uint32_t>(r[kStageDataLen]), static_cast<uint32_t>(r[kStageSenseLen]),
              static_cast<uint32_t>(r[kStageTimeoutMs]), r[kStageBufIndex]);
    }
  }
}

namespace {
uint64_t MonotonicNs() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);  // cannot fail for CLOCK_MONOTONIC with a valid pointer
  return static_cast<uint64_t>(t.tv_sec) * 1000000000ull + static_cast<uint64_t>(t.tv_nsec);
}
}  // namespace

int QueueWrap::SubmitAndStamp() {
  const int ret = io_uring_submit(&ring_);
  if (ret > 0 && !unstamped_.empty()) {
    // SQEs leave in the order they were written: the first `ret` unstamped slots went.
    const uint64_t now = MonotonicNs();
    const size_t sent = std::min<size_t>(static_cast<size_t>(ret), unstamped_.size());
    for (size_t i = 0; i < sent; i++) slots_[unstamped_[i]].sent_ns = now;
    unstamped_.erase(unstamped_.begin(), unstamped_.begin() + static_cast<std::ptrdiff_t>(sent));
  }
  return ret;
}

// flush(reap = false, staged = 0) -> SQEs sent, or -errno. `staged` records of the stage area are
// written as SQEs first (one N-API call per flush instead of one per command). Result: (-EAGAIN/-EBUSY: try again after completions are
// reaped). With reap, completions already in the CQ are drained into the completion area too and
// the result is sent | reaped << 16: a command the device finished during io_uring_enter (a fast
// device at QD 1) then settles without waiting for the eventfd's turn of the event loop.
Napi::Value QueueWrap::Flush(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireOpen(env);
  const bool reap = info.Length() > 0 && info[0].IsBoolean() && info[0].As<Napi::Boolean>().Value();
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    const uint32_t staged = ExactU32(env, info[1], "staged");
    if (staged > 0) {
      SubmitStaged(env, staged);
      UpdateRef();  // the kernel will hold commands: keep the loop alive for their CQEs
    }
  }
  // Reaping right after io_uring_enter: the CQEs posted meanwhile need no eventfd signal (a kernel
  // wake-up per CQE, and a turn of the event loop that finds the CQ empty). Only while the device
  // completes what it is sent during io_uring_enter (see Unquiet); Unquiet() restores it.
  const bool quiet = reap && quiet_mode_ && io_uring_cq_eventfd_toggle(&ring_, false) == 0;
  int total = 0;
  while (unflushed_ > 0) {
    int ret = SubmitAndStamp();
    if (ret == -EINTR) continue;
    if (ret < 0) {
      if (total == 0) {
        if (quiet) Unquiet();
        return Napi::Number::New(env, ret);
      }
      break;
    }
    if (ret == 0) break;
    unflushed_ -= static_cast<uint32_t>(ret) > unflushed_ ? unflushed_ : static_cast<uint32_t>(ret);
    total += ret;
  }
  if (!reap) return Napi::Number::New(env, total);
  const uint32_t reaped = Drain();
  if (quiet)
    Unquiet();
  else if (reaped > 0 && inflight_ == 0)
    quiet_mode_ = true;  // everything completed inline again
  UpdateRef();
  return Napi::Number::New(env, static_cast<double>(total) + static_cast<double>(reaped) * (1u << kReapedShift));
}

void QueueWrap::Unquiet() {
  io_uring_cq_eventfd_toggle(&ring_, true);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  // The kernel reads IORING_CQ_EVENTFD_DISABLED after publishing the CQ tail with no full barrier
  // between, so a CQE posted from another CPU (an io-wq worker, a completion interrupt) as the flag
  // comes back on can go unsignalled even though this look at the CQ misses it. Safe only when no
  // command is left to complete: otherwise signal regardless, and leave the eventfd on for the
  // following flushes (the device completes asynchronously; its CQEs' signals are not wasted).
  if (inflight_ > 0) quiet_mode_ = false;
  if (inflight_ > 0 || io_uring_cq_ready(&ring_) > 0) {
    const uint64_t one = 1;
    // Cannot fail short of a counter at UINT64_MAX - 1, which OnPoll's read keeps from happening.
    while (write(efd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
  }
}

void QueueWrap::UpdateRef() {
  if (poll_ == nullptr) return;
  const bool want = inflight_ > 0;
  if (want == poll_ref_) return;
  if (want)
    uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
  else
    uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  poll_ref_ = want;
}

uint32_t QueueWrap::Drain() {
  uint32_t n = 0;
  io_uring_cqe* cqe = nullptr;
  uint64_t now = 0;
  while (n < entries_ && io_uring_peek_cqe(&ring_, &cqe) == 0 && cqe != nullptr) {
    const uint64_t slot = cqe->user_data;
    const uint64_t info = cqe->big_cqe[0];
    if (now == 0) now = MonotonicNs();
    const uint64_t sent = slot < entries_ ? slots_[slot].sent_ns : 0;
    const uint64_t latency = sent != 0 && now > sent ? now - sent : 0;
    completions_[n] = {static_cast<uint32_t>(slot), cqe->res,
                       static_cast<uint32_t>(info), static_cast<uint32_t>(info >> 32),
                       static_cast<uint32_t>(latency), static_cast<uint32_t>(latency >> 32)};
    io_uring_cqe_seen(&ring_, cqe);
    if (slot < entries_ && slots_[slot].busy) {
      // Dropped before JS hears of it: the callback may reuse the slot at once.
      slots_[slot].busy = false;
      slots_[slot].sent_ns = 0;
      inflight_--;
      n++;
    }
  }
  return n;
}

void QueueWrap::Deliver(Napi::Env env, uint32_t count) {
  try {
    on_complete_.MakeCallback(Value(), {Napi::Number::New(env, count)});
  } catch (const Napi::Error& e) {
    napi_fatal_exception(env, e.Value());
  }
}

void QueueWrap::OnPoll(uv_poll_t* handle, int status, int) {
  auto* q = static_cast<QueueWrap*>(handle->data);
  if (q == nullptr || !q->open_) return;
  uint64_t v;
  // EFD_NONBLOCK: EAGAIN just means another wake-up already consumed the count.
  while (read(q->efd_, &v, sizeof v) < 0 && errno == EINTR) {
  }
  if (status < 0) return;
  Napi::Env env(q->env_);
  Napi::HandleScope scope(env);
  q->in_poll_ = true;
  // One pass over what completed before this wake-up (more only while the area comes back full):
  // commands that JS submits from inside the delivery and that complete at once would otherwise
  // keep this loop, and the whole event loop, spinning here. They signal the eventfd again.
  for (;;) {
    const uint32_t n = q->Drain();
    if (n > 0) q->Deliver(env, n);
    if (!q->open_ || n < q->entries_) break;
  }
  q->in_poll_ = false;
  q->UpdateRef();
  if (q->release_after_poll_) {
    // close() ran inside the delivery: the wrapper may be collected from here on; touch nothing.
    q->release_after_poll_ = false;
    q->self_ref_.Reset();
  }
}

void QueueWrap::OnPollClosed(uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); }

// registerBuffers(count, size) -> ArrayBuffer[]: page-aligned native memory registered as fixed
// buffers; freed when both the ring has unregistered them and JS has dropped every ArrayBuffer.
Napi::Value QueueWrap::RegisterBuffers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireOpen(env);
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "registerBuffers(count, size)");
  }
  if (buffers_registered_) throw CodedError(env, "ERR_SCSIKIT_BUFFERS_REGISTERED", "buffers already registered");
  const uint32_t count = ExactU32(env, info[0], "count");
  const uint32_t size = ExactU32(env, info[1], "size");
  if (count == 0 || count > 1024 || size == 0 || size > (64u << 20)) {
    throw Napi::RangeError::New(env, "count must be 1..1024 and size 1..64 MiB");
  }
  const long page = sysconf(_SC_PAGESIZE);
  const size_t rounded = (size + page - 1) / page * page;
  std::vector<iovec> iov(count);
  Napi::Array out = Napi::Array::New(env, count);
  for (uint32_t i = 0; i < count; i++) {
    void* mem = nullptr;
    if (posix_memalign(&mem, static_cast<size_t>(page), rounded) != 0) {
      for (uint32_t j = 0; j < i; j++) std::free(iov[j].iov_base);
      throw ErrnoError(env, -ENOMEM, "posix_memalign");
    }
    std::memset(mem, 0, rounded);
    iov[i] = {mem, size};
  }
  int ret = io_uring_register_buffers(&ring_, iov.data(), count);
  if (ret < 0) {
    for (auto& v : iov) std::free(v.iov_base);
    throw ErrnoError(env, ret, "io_uring_register_buffers");
  }
  buffers_registered_ = true;
  buffers_count_ = count;
  for (uint32_t i = 0; i < count; i++) {
    napi_value ab;
    if (napi_create_external_arraybuffer(env, iov[i].iov_base, size, FreeAligned, nullptr, &ab) != napi_ok) {
      throw Napi::Error::New(env, "cannot wrap a registered buffer");
    }
    out.Set(i, Napi::Value(env, ab));
  }
  return out;
}

Napi::Value QueueWrap::Pending(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), inflight_); }
Napi::Value QueueWrap::Flags(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), flags_); }
Napi::Value QueueWrap::Entries(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), entries_); }
Napi::Value QueueWrap::IsOpen(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), open_); }

// close(waitMs) -> commands still owned by the kernel after waiting (their buffers stay referenced).
Napi::Value QueueWrap::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Allowed from promise continuations that run inside Deliver's MakeCallback: OnPoll re-checks
  // open_ after every delivery and stops touching the ring.
  uint32_t wait_ms = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 2000;
  if (open_ && inflight_ > 0) {
    Napi::HandleScope scope(env);
    unflushed_ = 0;
    io_uring_submit(&ring_);
    timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (inflight_ > 0) {
      __kernel_timespec ts = {0, 50 * 1000 * 1000};
      io_uring_cqe* cqe;
      int ret = io_uring_wait_cqe_timeout(&ring_, &cqe, &ts);
      if (ret == 0) Drain();  // completions after close are not delivered: JS already settled them
      timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      const double elapsed = (now.tv_sec - start.tv_sec) * 1e3 + (now.tv_nsec - start.tv_nsec) / 1e6;
      if (elapsed >= wait_ms || (ret < 0 && ret != -ETIME && ret != -EINTR)) break;
    }
  }
  const uint32_t orphans = inflight_;
  Teardown(false);
  return Napi::Number::New(env, orphans);
}

void QueueWrap::Teardown(bool) {
  if (poll_ != nullptr) {
    uv_poll_stop(poll_);
    poll_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), OnPollClosed);
    poll_ = nullptr;
  }
  if (open_) {
    if (inflight_ > 0) {
      // The kernel still owns these commands (bsg uring_cmds cannot be cancelled): their data (held
      // at its slot of dataRefs) and the shared CDB/sense areas must outlive us, so these
      // references are deliberately leaked.
      cdb_area_ref_.SuppressDestruct();
      sense_area_ref_.SuppressDestruct();
      data_refs_ref_.SuppressDestruct();
    }
    if (buffers_registered_) io_uring_unregister_buffers(&ring_);
    io_uring_queue_exit(&ring_);
    open_ = false;
  }
  if (efd_ >= 0) {
    close(efd_);
    efd_ = -1;
  }
  if (env_ != nullptr) {
    if (cleanup_hook_) napi_remove_env_cleanup_hook(env_, CleanupHook, this);
    cleanup_hook_ = false;
    if (in_poll_)
      release_after_poll_ = !self_ref_.IsEmpty();
    else if (!self_ref_.IsEmpty())
      self_ref_.Reset();
  }
}

}  // namespace scsikit
