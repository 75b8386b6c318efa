#include "media_tools.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace sonique::test {

std::string run_tool(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        ADD_FAILURE() << "cannot run " << command;
        return out;
    }
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        out.append(buffer, n);
    int status = ::pclose(pipe);
    EXPECT_EQ(status, 0) << command;
    return out;
}

Json probe(const std::string& path) {
    std::string out =
        run_tool("ffprobe -v error -print_format json -show_format -show_streams '" + path + "'");
    Json j = Json::parse(out, nullptr, false);
    if (j.is_discarded()) ADD_FAILURE() << "ffprobe: " << out;
    return j;
}

std::vector<pid_t> ffmpeg_children() {
    std::vector<pid_t> out;
    const std::string self = std::to_string(::getpid());
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        std::ifstream in(entry.path() / "stat");
        std::string line;
        if (!std::getline(in, line)) continue;
        // pid (comm) state ppid ...: comm may hold blanks, so read after the last ')'.
        auto open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        std::string comm = line.substr(open + 1, close - open - 1);
        std::istringstream rest(line.substr(close + 2));
        std::string state, ppid;
        rest >> state >> ppid;
        if (ppid == self && comm == "ffmpeg") out.push_back(std::stoi(line));
    }
    return out;
}

size_t wait_for_ffmpeg_children(size_t count, int timeout_ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    size_t now = ffmpeg_children().size();
    while (now != count && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        now = ffmpeg_children().size();
    }
    return now;
}

PartialGet::PartialGet(int port, const std::string& target, size_t read_bytes) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    // A small window, so that the server cannot push megabytes ahead of what is read.
    int window = 16 * 1024;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &window, sizeof window);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ADD_FAILURE() << "connect";
        return;
    }
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) < 0) ADD_FAILURE() << "send";
    std::string data;
    char buffer[4096];
    while (true) {
        auto end = data.find("\r\n\r\n");
        if (end != std::string::npos && data.size() >= end + 4 + read_bytes) {
            head_ = data.substr(0, end);
            return;
        }
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) {
            ADD_FAILURE() << "the answer ended early: " << data.substr(0, 300);
            return;
        }
        data.append(buffer, static_cast<size_t>(n));
    }
}

void PartialGet::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

PartialGet::~PartialGet() {
    close();
}

}  // namespace sonique::test
