#include <gtest/gtest.h>
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

std::uintptr_t Address(const void* pointer) { return reinterpret_cast<std::uintptr_t>(pointer); }

// What Xapian's Glass cursor does: an 8-byte header, then the block it preads.
TEST(BlockBuffers, XapianBlocksAreReadAwayFromPageStarts) {
    for (std::size_t block : {2048u, 4096u, 8192u, 16384u, 65536u}) {
        SCOPED_TRACE("block size " + std::to_string(block));
        std::vector<char*> arrays;
        for (int i = 0; i < 64; ++i) {
            auto* array = static_cast<char*>(::operator new[](block + 8));
            std::memset(array, 'x', block + 8);
            // The kernel's rep movsb is slow 1 to 31 bytes past the source (a page start).
            EXPECT_GE((Address(array) + 8) % 4096, 32u);
            EXPECT_EQ(Address(array) % 16, 0u);
            arrays.push_back(array);
        }
        for (char* array : arrays) ::operator delete[](array);
    }
}

TEST(BlockBuffers, OtherArraysAreWhereMallocPutsThem) {
    for (std::size_t size : {0u, 1u, 100u, 2056u - 1, 8192u, 8199u, 8201u, 10000u}) {
        SCOPED_TRACE("size " + std::to_string(size));
        void* array = ::operator new[](size);
        // jemalloc serves under 16 bytes 8-aligned, as no type that small needs more.
        if (size >= 16) {
            EXPECT_EQ(Address(array) % 16, 0u);
        }
        // Only an allocation's start has a usable size of at least what was asked.
        EXPECT_GE(malloc_usable_size(array), size);
        ::operator delete[](array, size);
    }
}

TEST(BlockBuffers, NothrowArraysAreDeletedAsOthers) {
    for (std::size_t size : {100u, 8200u}) {
        SCOPED_TRACE("size " + std::to_string(size));
        void* array = ::operator new[](size, std::nothrow);
        ASSERT_NE(array, nullptr);
        std::memset(array, 'x', size);
        ::operator delete[](array, std::nothrow);
    }
}

// The server's threads open and drop cursors at once; the allocator aborts on a wrong free.
TEST(BlockBuffers, ThreadsAllocateAndDeleteAtOnce) {
    auto churn = [] {
        std::vector<char*> kept;
        for (int i = 0; i < 20000; ++i) {
            const std::size_t size = i % 3 == 0 ? 1032 : 8200;
            kept.push_back(static_cast<char*>(::operator new[](size)));
            kept.back()[size - 1] = 'x';
            if (kept.size() > 16) {
                ::operator delete[](kept.front());
                kept.erase(kept.begin());
            }
        }
        for (char* array : kept) ::operator delete[](array);
    };
    std::thread other(churn);
    churn();
    other.join();
    void* array = ::operator new[](8200);
    EXPECT_GE((Address(array) + 8) % 4096, 32u);
    ::operator delete[](array);
}

}  // namespace
