// JS errors from native code: -errno keeps its name (errno, code, syscall), our own failures a code.
#pragma once
#include <napi.h>
#include <uv.h>

#include <cstring>
#include <cstdint>
#include <string>

namespace scsikit {

inline Napi::Error ErrnoError(Napi::Env env, int neg_errno, const char* syscall) {
  const int e = neg_errno < 0 ? -neg_errno : neg_errno;
  Napi::Error err = Napi::Error::New(env, std::string(syscall) + ": " + std::strerror(e));
  err.Set("errno", Napi::Number::New(env, -e));
  err.Set("code", Napi::String::New(env, uv_err_name(-e)));
  err.Set("syscall", Napi::String::New(env, syscall));
  return err;
}

inline Napi::Error CodedError(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  return err;
}

// A count, size or slot from JS, exactly: Uint32Value() would wrap 2^32 + 1 to 1 and truncate 1.5.
// The caller has checked IsNumber().
inline uint32_t ExactU32(Napi::Env env, const Napi::Value& v, const char* what) {
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<uint32_t>(d))) {
    throw Napi::RangeError::New(env, std::string(what) + " must be an integer in [0, 2^32)");
  }
  return static_cast<uint32_t>(d);
}

}  // namespace scsikit
