#pragma once

// What the fuzz targets share: the input as text, and one way to say that a promise broke.
// A broken promise aborts, which libFuzzer reports as a crash with the input that caused
// it and the seed replay reports as a failed test.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::fuzz {

/// The fuzzer's bytes as a view; valid for the call of LLVMFuzzerTestOneInput.
inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Aborts, naming the promise that broke on stderr.
[[noreturn]] inline void Broken(std::string_view promise) {
    std::fprintf(stderr, "broken promise: %.*s\n", static_cast<int>(promise.size()),
                 promise.data());
    std::abort();
}

/// Aborts unless `holds`.
inline void Expect(bool holds, std::string_view promise) {
    if (!holds) Broken(promise);
}

/// Aborts unless `error` has one of `codes`: the ones the function under test documents.
inline void ExpectCode(const Error& error, std::initializer_list<ErrorCode> codes) {
    for (const ErrorCode code : codes) {
        if (error.code() == code) return;
    }
    std::fprintf(stderr, "undocumented error %.*s: %s\n",
                 static_cast<int>(ErrorCodeName(error.code()).size()),
                 ErrorCodeName(error.code()).data(), error.what());
    std::abort();
}

/// Aborts unless `message` is one line of UTF-8, as every message to a person must be.
inline void ExpectMessage(std::string_view message) {
    Expect(core::IsValidUtf8(message), "the message is UTF-8");
    Expect(message.find_first_of("\r\n") == std::string_view::npos, "the message is one line");
}

/// Counters that libFuzzer reads as coverage beside the edges the compiler instruments. A
/// target whose work happens in a system library built without instrumentation (cmark-gfm,
/// Poco) sets them from what the library did, so that the fuzzer still tells a new kind of
/// result from an old one. Only the target's own translation unit may include this file.
namespace extra {
constexpr std::size_t kCounters = 1 << 14;
__attribute__((used,
               section("__libfuzzer_extra_counters"))) static std::uint8_t counters[kCounters];
}  // namespace extra

/// Records `feature` (any number; equal numbers are the same feature) as covered.
inline void Cover(std::size_t feature) {
    std::uint8_t& counter = extra::counters[feature % extra::kCounters];
    if (counter < 255) ++counter;
}

/// A feature number for `text`.
inline std::size_t FeatureOf(std::string_view text) {
    std::size_t hash = 14695981039346656037ULL;  // FNV-1a
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return hash;
}

}  // namespace styrdok::fuzz
