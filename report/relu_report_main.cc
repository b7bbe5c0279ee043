// relu_report: turns benchmark JSON (C++ suite and Python peers) into
// report.md; logic lives in cli.cc.
#include <iostream>
#include <string>
#include <vector>

#include "report/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return relu::report::RunCli(args, std::cout, std::cerr);
}
