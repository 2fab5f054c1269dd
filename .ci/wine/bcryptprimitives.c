/*
 * TEST-ONLY AID, NEVER SHIPPED. A stand-in for Windows' bcryptprimitives.dll, so the
 * Windows build can run its tests under Wine 8 (Debian bookworm's), which lacks that DLL.
 *
 * Rust's standard library (1.78 and later) takes its randomness from ProcessPrng in
 * bcryptprimitives.dll, present on every Windows 10 and 11 but added to Wine only in 9.x;
 * without it the loader refuses to start any Rust program. This file exports ProcessPrng
 * and fills the buffer from RtlGenRandom (advapi32's SystemFunction036), which Wine has
 * and which draws on the same system generator.
 *
 * .ci/run builds it with mingw and copies it into the throwaway Wine prefix's system32
 * only; it is never put beside companion.exe in target/, never in a release, never on a
 * real Windows machine (which has the real DLL).
 */
#include <windows.h>

/* advapi32!SystemFunction036, declared here as ntsecapi.h would. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Same contract as the real one: fills `data` with `len` random bytes; always TRUE. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            /* The real ProcessPrng never fails; a stand-in that cannot fill the buffer
             * must not let a caller use zeros as key material. */
            ExitProcess(3);
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
