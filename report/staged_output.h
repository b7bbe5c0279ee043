// Transactional output: the report and its plots are written into a staging
// directory beside the target and moved into place only when all succeeded.
#ifndef RELU_REPORT_STAGED_OUTPUT_H_
#define RELU_REPORT_STAGED_OUTPUT_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace relu::report {

// Why `report_path` cannot take a report, or "" when it can: it must be a
// regular file or a new path in an existing directory. A symbolic link, a
// device, a pipe or a directory is refused: renaming over it would replace
// the link or the device node itself (as root, --out /dev/null would replace
// /dev/null), and writing through it is not what a report file is.
std::string OutputPathProblem(const std::string& report_path);

// A staging directory "<report name>.tmpXXXXXX/" beside the report. The
// destructor removes it with everything in it and undoes a partial commit,
// so no failure leaves a temporary file or a half-replaced plot behind.
class StagedOutput {
 public:
  StagedOutput() = default;
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  // Creates the staging directory. On failure returns why, one line
  // without the program name.
  std::string Begin(const std::string& report_path);
  // Where to write: the report's directory as seen by the plots
  // ("<staging>/plots/..." holds what goes to "<report dir>/plots/...").
  const std::string& dir() const { return staging_; }
  // Writes the report text into the staging directory and syncs it.
  std::string WriteReport(const std::string& text);
  // Writes another file (relative to dir(), e.g. "appendix.md") the same
  // way; Commit moves it when it is listed.
  std::string WriteFile(const std::string& rel, const std::string& text);
  // Moves `files` (relative to dir(), e.g. "plots/x.png"), then the report,
  // into place. Each move is an atomic rename; a file it replaces is kept as
  // a hard link until the report is in place, so a failed commit restores
  // every replaced file. Returns "" or why it failed.
  std::string Commit(const std::vector<std::string>& files);

 private:
  void Rollback();

  std::string report_path_;
  std::string target_dir_;  // the report's directory
  std::string staging_;     // "" until Begin succeeds
  std::string report_name_;
  struct Moved {
    std::string target;
    std::string backup;  // "" when nothing was there before
  };
  std::vector<Moved> moved_;
  std::vector<std::string> created_dirs_;  // by Commit, removed on rollback
  bool committed_ = false;
};

// SIGINT, SIGTERM and SIGHUP while it lives set a flag instead of killing the
// process, so the staging directory can be removed first; the destructor
// restores the previous handlers and, if a signal came, re-raises it.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// The signal an InterruptGuard caught, or 0.
int InterruptSignal();

}  // namespace relu::report

#endif  // RELU_REPORT_STAGED_OUTPUT_H_
