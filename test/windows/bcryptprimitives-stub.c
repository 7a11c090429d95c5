/* A stand-in for Windows' bcryptprimitives.dll, for the Wine smoke test only: Bun's Windows
 * runtime imports ProcessPrng from it, and Debian 12's Wine (8.0) has no such DLL. It fills the
 * buffer from BCryptGenRandom, which Wine does have. Built at test time with mingw-w64. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
    if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
