#pragma once
// Makes a GTKWave save file open wherever its output directory lies: every path it holds
// (the dump file, the translate filters, GTKWave's own [savefile] line) becomes relative to
// the directory of the save file. GTKWave 3.3.118 resolves relative paths against its
// working directory, so `irqlab waves OUTDIR` starts it there. A save file written by an
// older run (absolute paths) or saved again from GTKWave (which writes absolute paths) is
// made relative the same way.
//
// Pure text in, text out; callable from anywhere.
#include <string>
#include <string_view>

namespace irqlab::cosim {

// `gtkw`: the save file's text. Returns it with the paths of "[dumpfile]", "[savefile]"
// and "^N file" lines rewritten: the dump file as waves.fst, the save file as waves.gtkw,
// a filter as waves-filters/<its file name>. Other lines are kept as they are.
std::string relocate_gtkw(std::string_view gtkw);

}  // namespace irqlab::cosim
