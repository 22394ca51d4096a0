// The waves' names without a run: the escaping of names into GTKWave translate filters
// (printable ASCII, one line, never read as a colour) and the rewriting of a save file's
// paths relative to its output directory.
#include <gtest/gtest.h>
#include <string>

#include "waves/gtkw_paths.h"
#include "waves/wave_names.h"

namespace irqlab::cosim {
namespace waves_names_test {

TEST(GtkwaveFilterText, KeepsPrintableAsciiAndEscapesTheRest) {
  EXPECT_EQ(gtkwave_filter_text("so_lock"), "so_lock");
  EXPECT_EQ(gtkwave_filter_text("so lock"), "so lock");
  EXPECT_EQ(gtkwave_filter_text("a\\b"), "a\\\\b");
  EXPECT_EQ(gtkwave_filter_text("two\nlines"), "two\\x0Alines");
  EXPECT_EQ(gtkwave_filter_text("r\xC3\xA9seau"), "r\\xC3\\xA9seau");  // UTF-8 é
  EXPECT_EQ(gtkwave_filter_text(std::string("nul\0x", 5)), "nul\\x00x");
}

TEST(GtkwaveFilterText, NeverStartsAColourNorLosesEdgeSpaces) {
  // GTKWave reads "?colour?text" as a coloured text and strips the spaces around a text.
  EXPECT_EQ(gtkwave_filter_text("?odd"), "\\x3Fodd");
  EXPECT_EQ(gtkwave_filter_text("odd?"), "odd?");
  EXPECT_EQ(gtkwave_filter_text(" pad "), "\\x20pad\\x20");
  EXPECT_EQ(gtkwave_filter_text(""), "(unnamed)");  // GTKWave skips an empty text
}

TEST(GtkwaveFilterText, EveryByteGivesPrintableAsciiOnOneLine) {
  for (int b = 0; b < 256; ++b) {
    const std::string text = gtkwave_filter_text(std::string(1, static_cast<char>(b)) + "x");
    for (const char c : text) {
      EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "byte " << b;
      EXPECT_LE(static_cast<unsigned char>(c), 0x7E) << "byte " << b;
    }
    EXPECT_NE(text.front(), '?') << "byte " << b;
    EXPECT_NE(text.front(), ' ') << "byte " << b;
  }
}

TEST(RelocateGtkw, MakesEveryPathRelativeToTheOutputDirectory) {
  const std::string old =
      "[*] a comment\n"
      "[dumpfile] \"/home/u/out/linux/waves.fst\"\n"
      "[savefile] \"/home/u/out/linux/waves.gtkw\"\n"
      "[timestart] 100\n"
      "^1 /home/u/out/linux/waves-filters/lwps.txt\n"
      "@2024\n"
      "TOP.irqlab_cosim_top.g_hart[0].u_kernel.lwp[15:0]\n"
      "^>1 /usr/bin/some-process-filter\n"
      "^1 waves-filters/sources.txt\n";
  const std::string expected =
      "[*] a comment\n"
      "[dumpfile] \"waves.fst\"\n"
      "[savefile] \"waves.gtkw\"\n"
      "[timestart] 100\n"
      "^1 waves-filters/lwps.txt\n"
      "@2024\n"
      "TOP.irqlab_cosim_top.g_hart[0].u_kernel.lwp[15:0]\n"
      "^>1 /usr/bin/some-process-filter\n"
      "^1 waves-filters/sources.txt\n";
  EXPECT_EQ(relocate_gtkw(old), expected);
  EXPECT_EQ(relocate_gtkw(expected), expected);  // already relative: unchanged
}

}  // namespace waves_names_test
}  // namespace irqlab::cosim
