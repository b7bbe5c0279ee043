// Staging directory, checked output path, atomic commit with rollback, and
// the signal guard that lets a stopped run clean up after itself.
#include "report/staged_output.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace relu::report {
namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t g_signal = 0;

extern "C" void RecordSignal(int signo) { g_signal = signo; }

constexpr int kGuardedSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

std::string Errno() { return std::strerror(errno); }

const char* KindOf(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string DirOf(const std::string& path) {
  fs::path dir = fs::path(path).parent_path();
  return dir.empty() ? "." : dir.string();
}

}  // namespace

std::string OutputPathProblem(const std::string& report_path) {
  const std::string dir = DirOf(report_path);
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return fmt::format("output directory {} does not exist", dir);
  }
  if (lstat(report_path.c_str(), &st) != 0) {
    if (errno == ENOENT) return "";  // a new file
    return fmt::format("cannot inspect the output path: {}", Errno());
  }
  if (S_ISDIR(st.st_mode)) return "output path is a directory";
  if (!S_ISREG(st.st_mode)) {
    return fmt::format(
        "output path is {}; give a regular file or a new path (the report "
        "replaces the path itself, never what it points to)",
        KindOf(st.st_mode));
  }
  return "";
}

StagedOutput::~StagedOutput() {
  if (!committed_) Rollback();
  if (!staging_.empty()) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

std::string StagedOutput::Begin(const std::string& report_path) {
  report_path_ = report_path;
  target_dir_ = DirOf(report_path);
  report_name_ = fs::path(report_path).filename().string();
  std::string tmpl =
      (fs::path(target_dir_) / (report_name_ + ".tmpXXXXXX")).string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    return fmt::format("cannot create a file in {}: {}", target_dir_, Errno());
  }
  staging_ = tmpl;
  return "";
}

std::string StagedOutput::WriteReport(const std::string& text) {
  return WriteFile(report_name_, text);
}

std::string StagedOutput::WriteFile(const std::string& rel,
                                    const std::string& text) {
  const std::string path = (fs::path(staging_) / rel).string();
  // 0666 less the umask: the mode a plain create gives.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return fmt::format("cannot create {}: {}", path, Errno());
  size_t written = 0;
  while (written < text.size()) {
    ssize_t w = write(fd, text.data() + written, text.size() - written);
    if (w < 0) {
      if (errno == EINTR) continue;
      std::string why = fmt::format("write failed: {}", Errno());
      close(fd);
      return why;
    }
    written += static_cast<size_t>(w);
  }
  if (fsync(fd) != 0) {
    std::string why = fmt::format("write failed: {}", Errno());
    close(fd);
    return why;
  }
  if (close(fd) != 0) return fmt::format("write failed: {}", Errno());
  return "";
}

std::string StagedOutput::Commit(const std::vector<std::string>& files) {
  auto fail = [&](std::string why) {
    Rollback();
    return why;
  };
  for (const std::string& rel : files) {
    const fs::path from = fs::path(staging_) / rel;
    const fs::path to = fs::path(target_dir_) / rel;
    // The plots directory: made if missing, refused if something else.
    const std::string parent = to.parent_path().string();
    struct stat st;
    if (stat(parent.c_str(), &st) != 0) {
      if (mkdir(parent.c_str(), 0777) != 0) {
        return fail(fmt::format("cannot create {}: {}", parent, Errno()));
      }
      created_dirs_.push_back(parent);
    } else if (!S_ISDIR(st.st_mode)) {
      return fail(fmt::format("{} is not a directory", parent));
    }
    Moved m{to.string(), ""};
    if (lstat(m.target.c_str(), &st) == 0) {
      // Keep what is there under a second name, so a rollback can put it
      // back; the staging directory is on the same file system.
      m.backup =
          (fs::path(staging_) / (".previous." + std::to_string(moved_.size())))
              .string();
      if (link(m.target.c_str(), m.backup.c_str()) != 0) {
        return fail(fmt::format("cannot keep {} for a rollback: {}", m.target,
                                Errno()));
      }
    }
    if (std::rename(from.c_str(), m.target.c_str()) != 0) {
      std::string why =
          fmt::format("cannot move {} into place: {}", m.target, Errno());
      if (!m.backup.empty()) unlink(m.backup.c_str());
      return fail(why);
    }
    moved_.push_back(m);
  }
  const std::string report = (fs::path(staging_) / report_name_).string();
  // Checked again just before the rename: it replaces whatever the path is.
  if (std::string problem = OutputPathProblem(report_path_); !problem.empty()) {
    return fail(problem);
  }
  if (std::rename(report.c_str(), report_path_.c_str()) != 0) {
    return fail(
        fmt::format("cannot rename the report into place: {}", Errno()));
  }
  committed_ = true;
  return "";
}

void StagedOutput::Rollback() {
  // Newest first, so each target gets back exactly what it held.
  for (auto it = moved_.rbegin(); it != moved_.rend(); ++it) {
    if (it->backup.empty()) {
      unlink(it->target.c_str());
    } else {
      std::rename(it->backup.c_str(), it->target.c_str());
    }
  }
  moved_.clear();
  for (auto it = created_dirs_.rbegin(); it != created_dirs_.rend(); ++it) {
    rmdir(it->c_str());
  }
  created_dirs_.clear();
}

InterruptGuard::InterruptGuard() {
  g_signal = 0;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = RecordSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a wait for the plot script returns
  for (size_t i = 0; i < std::size(kGuardedSignals); ++i) {
    sigaction(kGuardedSignals[i], nullptr, &g_previous[i]);
    // An ignored signal stays ignored (nohup): the run goes on.
    if (g_previous[i].sa_handler == SIG_IGN) continue;
    sigaction(kGuardedSignals[i], &sa, nullptr);
  }
}

InterruptGuard::~InterruptGuard() {
  for (size_t i = 0; i < std::size(kGuardedSignals); ++i) {
    sigaction(kGuardedSignals[i], &g_previous[i], nullptr);
  }
  // Die of the signal as if the guard had not been there, now that nothing
  // is left behind.
  if (g_signal != 0) raise(g_signal);
}

int InterruptSignal() { return g_signal; }

}  // namespace relu::report
