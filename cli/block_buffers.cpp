// The program's own operator new[] and delete[], linked with jemalloc only (see CMakeLists.txt).
//
// Xapian's Glass B-tree cursor allocates each block buffer as new char[block_size + 8] and
// preads the block 8 bytes into it (an 8-byte header of its own first). jemalloc serves 8200
// bytes from its 10 KiB size class, whose regions begin 1 KiB-aligned (at 0 and 2 KiB within a
// page), so half the blocks are read to 8 bytes past a page start. The kernel copies a pread
// from the page cache with `rep movsb`, which on AMD Zen 4 runs 2.5 times slower when the
// destination lies 1 to 15 bytes past the source modulo 4096: 3.8 µs an 8 KiB pread instead
// of 1.5, and on the 100 000-document index 0.3-0.6 ms more CPU a cold search page, all of it
// in the kernel. Moving such arrays by 64 bytes puts the blocks 72 bytes past a page start
// or past its middle, where the copy runs at full speed, in the same size class. glibc's malloc
// puts a 16-byte chunk header in front of each block and lets them fall anywhere, so it never
// showed this.
//
// Only arrays of a power of two plus 8 bytes, from 2 KiB up (Xapian's block sizes), are moved;
// every other array is plain malloc. A moved array is remembered by its address, so that
// delete[] frees it at its real start: a lock (one of 16, by address) is taken on new[] of such
// a size and on delete[] of an address 64 bytes past a 1 KiB boundary only, a few hundred times
// a search.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_set>

namespace {

constexpr std::size_t kShift = 64;
constexpr std::size_t kBoundary = 1024;

bool IsBlockWithHeader(std::size_t size) { return size > 2048 && std::has_single_bit(size - 8); }

bool MayBeMoved(const void* pointer) {
    return reinterpret_cast<std::uintptr_t>(pointer) % kBoundary == kShift;
}

struct Moved {
    std::mutex mutex;
    std::unordered_set<const void*> addresses;
};

// The moved arrays, in shards by address, so that the threads of a server with many cores do
// not all wait for one lock while their searches open and drop cursors. Never destroyed:
// arrays may still be deleted by other threads while static objects go.
Moved& MovedArrays(const void* array) {
    constexpr std::size_t kShards = 16;
    static auto* shards = new std::array<Moved, kShards>;
    return (*shards)[reinterpret_cast<std::uintptr_t>(array) / kBoundary % kShards];
}

void* Allocate(std::size_t size) noexcept {
    if (!IsBlockWithHeader(size)) return std::malloc(size == 0 ? 1 : size);
    // Rounded up to a multiple of the alignment, as aligned_alloc wants.
    const std::size_t total = (size + kShift + kBoundary - 1) / kBoundary * kBoundary;
    auto* start = static_cast<char*>(std::aligned_alloc(kBoundary, total));
    if (start == nullptr) return nullptr;
    char* array = start + kShift;
    Moved& moved = MovedArrays(array);
    try {
        std::lock_guard lock(moved.mutex);
        moved.addresses.insert(array);
    } catch (...) {
        std::free(start);
        return nullptr;
    }
    return array;
}

void Release(void* array) noexcept {
    if (array == nullptr) return;
    if (MayBeMoved(array)) {
        Moved& moved = MovedArrays(array);
        std::lock_guard lock(moved.mutex);
        if (moved.addresses.erase(array) == 1) {
            std::free(static_cast<char*>(array) - kShift);
            return;
        }
    }
    std::free(array);
}

}  // namespace

void* operator new[](std::size_t size) {
    void* array = Allocate(size);
    if (array == nullptr) throw std::bad_alloc();
    return array;
}

void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size); }

void operator delete[](void* array) noexcept { Release(array); }

void operator delete[](void* array, std::size_t) noexcept { Release(array); }

void operator delete[](void* array, const std::nothrow_t&) noexcept { Release(array); }
