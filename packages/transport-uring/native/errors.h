// JS errors from native code: -errno keeps its name (errno, code, syscall), our own failures a code.
#pragma once
#include <napi.h>
#include <uv.h>

#include <cstring>
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

}  // namespace scsikit
