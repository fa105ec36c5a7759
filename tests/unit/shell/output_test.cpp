// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON output of kernel lines and of the shell's own lines.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "output.h"

using namespace klua;
using namespace klua::cli;

namespace {

struct Text {
    std::ostringstream out, err;
    std::unique_ptr<Output> output = make_text_output(out, err);
};

struct Json {
    std::ostringstream out;
    std::unique_ptr<Output> output = make_json_output(out);
};

} // namespace

TEST(TextOutput, Result)
{
    Text t;
    EXPECT_EQ(t.output->kernel_line(R"({"type":"result","state":"web","data":["ok",2,[1,2]]})"),
              LineKind::result);
    EXPECT_EQ(t.out.str(), "ok\t2\t{1, 2}\n");
    EXPECT_EQ(t.err.str(), "");
}

TEST(TextOutput, ResultWithoutValuesPrintsNothing)
{
    Text t;
    EXPECT_EQ(t.output->kernel_line(R"({"type":"result","state":"web","data":[]})"),
              LineKind::result);
    EXPECT_EQ(t.out.str(), "");
}

TEST(TextOutput, PrintAndLost)
{
    Text t;
    EXPECT_EQ(t.output->kernel_line(R"({"type":"print","state":"web","data":"a\tb"})"),
              LineKind::print);
    t.output->kernel_line(R"({"type":"print","state":"web","data":{"$base64":"/w=="}})");
    EXPECT_EQ(t.output->kernel_line(R"({"type":"lost","state":"web","data":{"count":12}})"),
              LineKind::lost);
    EXPECT_EQ(t.out.str(), "a\tb\n\xff\n");
    EXPECT_EQ(t.err.str(), "klua: 12 events lost\n");
}

TEST(TextOutput, ErrorWithTraceback)
{
    Text t;
    EXPECT_EQ(
        t.output->kernel_line(
            R"j({"type":"error","state":"web","data":{"kind":"runtime","message":"(command line):1: boom","traceback":"stack traceback:\n\t[C]: in ?","chunk":"=(command line)","line":1}})j"),
        LineKind::error);
    EXPECT_EQ(t.out.str(), "");
    EXPECT_EQ(t.err.str(),
              "klua: runtime error: (command line):1: boom\nstack traceback:\n\t[C]: in ?\n");
}

TEST(TextOutput, InvalidLineIsAnError)
{
    Text t;
    EXPECT_EQ(t.output->kernel_line("{\"type\":\"res", "web"), LineKind::invalid);
    EXPECT_EQ(t.output->kernel_line("[1,2]", "web"), LineKind::invalid);
    EXPECT_EQ(t.output->kernel_line(R"({"data":1})", "web"), LineKind::invalid);
    EXPECT_EQ(t.output->kernel_line("", "web"), LineKind::invalid);
    EXPECT_EQ(t.out.str(), "");
    EXPECT_NE(
        t.err.str().find("klua: the kernel sent an invalid JSON line: \"{\\\"type\\\":\\\"res\""),
        std::string::npos)
        << t.err.str();
}

TEST(TextOutput, ShellErrors)
{
    Text t;
    t.output->error("web", Error{ErrorKind::request, "no state named 'web'"});
    t.output->error("web", Error{ErrorKind::syntax, "(command line):1: unexpected symbol"});
    EXPECT_EQ(t.err.str(), "klua: no state named 'web'\n"
                           "klua: syntax error: (command line):1: unexpected symbol\n");
}

TEST(TextOutput, StateTable)
{
    Text t;
    StateInfo s;
    s.name = "web";
    s.memory_used = 17 * 1024;
    s.memory_limit = 1 << 20;
    s.memory_peak = 20 * 1024;
    s.instr_limit = 1000000;
    s.runs = 3;
    s.errors = 1;
    s.time_ns = 1234567;
    s.time_limit_ns = 10'000'000'000;
    s.hold_peak_ns = 512'300;
    s.timers = 2;
    s.hook_count = 2;
    HookInfo h{"web", 7, "timer", "every 100 ms", 12, 1, 3};
    s.hooks = {h, HookInfo{"web", 9, "timer", "after 5000 ms", 0, 0, 0}};
    t.output->states({s});
    EXPECT_EQ(
        t.out.str(),
        "NAME  MEMORY  PEAK  INSTR-LIMIT  TIME-LIMIT  RUNS  ERRORS  TIME    HOLD-PEAK  HOOKS\n"
        "web   17K/1M  20K   1000000      10s         3     1       1.23ms  512us      2\n"
        "\n"
        "STATE  HOOK  KIND   TARGET         RUNS  ERRORS  MISSED\n"
        "web    7     timer  every 100 ms   12    1       3\n"
        "web    9     timer  after 5000 ms  0     0       0\n");
}

// .hooks: the same table alone, or a word when there is none.
TEST(TextOutput, HookTable)
{
    Text t;
    t.output->hooks({});
    t.output->hooks({HookInfo{"a", 1, "timer", "every 1 ms", 5, 0, 2}});
    EXPECT_EQ(t.out.str(), "no hooks\n"
                           "STATE  HOOK  KIND   TARGET      RUNS  ERRORS  MISSED\n"
                           "a      1     timer  every 1 ms  5     0       2\n");
}

// A module without time limits sends none: "-", as for the other limits.
TEST(TextOutput, StateTableWithoutLimits)
{
    Text t;
    StateInfo s;
    s.name = "old";
    t.output->states({s});
    EXPECT_EQ(t.out.str(),
              "NAME  MEMORY  PEAK  INSTR-LIMIT  TIME-LIMIT  RUNS  ERRORS  TIME  HOLD-PEAK  HOOKS\n"
              "old   0B/-    0B    -            -           0     0       0s    0s         0\n");
}

// A Lua error of any kind, "time" among them, reads "klua: KIND error: MESSAGE".
TEST(TextOutput, TimeErrorLikeTheOthers)
{
    Text t;
    EXPECT_EQ(
        t.output->kernel_line(
            R"j({"type":"error","state":"web","data":{"kind":"time","message":"time limit of 300 ms exceeded","traceback":"stack traceback:\n\t(command line):1: in main chunk","chunk":"(command line)","line":1}})j",
            "web"),
        LineKind::error);
    EXPECT_EQ(t.err.str(), "klua: time error: time limit of 300 ms exceeded\n"
                           "stack traceback:\n\t(command line):1: in main chunk\n");
}

TEST(JsonOutput, KernelLinesPassAsTheyAre)
{
    Json j;
    std::string line = R"({"type":"result","state":"web","data":[1, "caf\u00e9"]})";
    EXPECT_EQ(j.output->kernel_line(line), LineKind::result);
    EXPECT_EQ(j.out.str(), line + "\n");
}

// A state's last event tells a watcher to stop, in both outputs.
TEST(Output, EndLineIsItsOwnKind)
{
    std::string end = R"({"type":"end","state":"web","data":{"reason":"destroyed"}})";
    Text t;
    EXPECT_EQ(t.output->kernel_line(end, "web"), LineKind::end);
    Json j;
    EXPECT_EQ(j.output->kernel_line(end, "web"), LineKind::end);
    EXPECT_EQ(j.out.str(), end + "\n");
    EXPECT_EQ(j.output->kernel_line(R"({"type":"ending","state":"web","data":1})", "web"),
              LineKind::other);
}

TEST(JsonOutput, InvalidLineBecomesAnErrorLine)
{
    Json j;
    EXPECT_EQ(j.output->kernel_line("{oops", "web"), LineKind::invalid);
    auto line = nlohmann::json::parse(j.out.str());
    EXPECT_EQ(line["type"], "error");
    EXPECT_EQ(line["state"], "web");
    EXPECT_EQ(line["data"]["kind"], "protocol");
}

TEST(JsonOutput, ShellErrorEnvelope)
{
    Json j;
    j.output->error("web", Error{ErrorKind::request, "no state named 'web'"});
    j.output->error("", Error{ErrorKind::request, "the klua kernel module is not loaded"});
    EXPECT_EQ(
        j.out.str(),
        R"({"type":"error","state":"web","data":{"kind":"request","message":"no state named 'web'"}})"
        "\n"
        R"({"type":"error","data":{"kind":"request","message":"the klua kernel module is not loaded"}})"
        "\n");
}

TEST(JsonOutput, InvalidUtf8IsReplacedNotThrown)
{
    Json j;
    j.output->error("web", Error{ErrorKind::file, "cannot open '\xff': No such file"});
    auto line = nlohmann::json::parse(j.out.str());
    EXPECT_EQ(line["data"]["kind"], "file");
}

TEST(JsonOutput, StatesAndCreated)
{
    Json j;
    StateInfo s;
    s.name = "web";
    s.memory_used = 100;
    j.output->states({s});
    j.output->created("api");
    std::istringstream in(j.out.str());
    std::string first, second;
    std::getline(in, first);
    std::getline(in, second);
    auto state = nlohmann::json::parse(first);
    EXPECT_EQ(state["type"], "state");
    EXPECT_EQ(state["data"]["name"], "web");
    EXPECT_EQ(state["data"]["memory_used"], 100);
    EXPECT_EQ(state["data"]["time_limit_ns"], 0);
    EXPECT_EQ(state["data"]["hold_peak_ns"], 0);
    EXPECT_EQ(state["data"]["hooks"], nlohmann::json::array());
    EXPECT_EQ(first.rfind(R"({"type":"state",)", 0), 0u);
    EXPECT_EQ(second, R"({"type":"created","state":"api","data":{"name":"api"}})");
}

// A state's hooks are an array of objects in its line; .hooks writes a line a hook.
TEST(JsonOutput, Hooks)
{
    Json j;
    StateInfo s;
    s.name = "web";
    s.hooks = {HookInfo{"web", 7, "timer", "every 100 ms", 12, 1, 3}};
    j.output->states({s});
    j.output->hooks(s.hooks);
    std::istringstream in(j.out.str());
    std::string first, second;
    std::getline(in, first);
    std::getline(in, second);
    EXPECT_EQ(nlohmann::json::parse(first)["data"]["hooks"],
              nlohmann::json::parse(R"([{"id":7,"kind":"timer","target":"every 100 ms",)"
                                    R"("runs":12,"errors":1,"missed":3}])"));
    EXPECT_EQ(second, R"({"type":"hook","state":"web","data":{"id":7,"kind":"timer",)"
                      R"("target":"every 100 ms","runs":12,"errors":1,"missed":3}})");
}

TEST(JsonOutput, KindsComeFromTheType)
{
    Json j;
    EXPECT_EQ(j.output->kernel_line(R"({"type":"error","state":"web","data":{}})"),
              LineKind::error);
    EXPECT_EQ(j.output->kernel_line(R"({"type":"print","state":"web","data":"x"})"),
              LineKind::print);
    EXPECT_EQ(j.output->kernel_line(R"({"type":"lost","state":"web","data":{"count":1}})"),
              LineKind::lost);
    EXPECT_EQ(j.output->kernel_line(R"({"type":"newer","state":"web"})"), LineKind::other);
    EXPECT_EQ(j.output->kernel_line(R"({"type":"result","data":[]}])"), LineKind::invalid);
}

TEST(JsonOutput, TimingLine)
{
    Json j;
    j.output->timing("we\"b", 1234);
    EXPECT_EQ(j.out.str(), R"({"type":"timing","state":"we\"b","data":{"round_trip_ns":1234}})"
                           "\n");
    EXPECT_EQ(nlohmann::json::parse(j.out.str())["data"]["round_trip_ns"], 1234);
    // The state's text is kept between lines, and follows a change.
    j.out.str("");
    j.output->timing("we\"b", 0);
    j.output->timing("", 18446744073709551615u);
    j.output->timing("web", 7);
    EXPECT_EQ(j.out.str(),
              R"({"type":"timing","state":"we\"b","data":{"round_trip_ns":0}})"
              "\n"
              R"({"type":"timing","state":"","data":{"round_trip_ns":18446744073709551615}})"
              "\n"
              R"({"type":"timing","state":"web","data":{"round_trip_ns":7}})"
              "\n");
}

namespace {

// A stream buffer that passes its bytes on to a shared log only when
// flushed, and counts the flushes.
class HeldBuf final : public std::stringbuf {
  public:
    HeldBuf(std::string& log) : log_(log) {}
    int flushes = 0;

  protected:
    int sync() override
    {
        ++flushes;
        log_ += str();
        str("");
        return 0;
    }

  private:
    std::string& log_;
};

struct Held {
    std::string log;
    HeldBuf out_buf{log}, err_buf{log};
    std::ostream out{&out_buf}, err{&err_buf};
};

} // namespace

TEST(OutputFlush, LinesFlushOneByOneByDefault)
{
    Held h;
    std::unique_ptr<Output> output = make_json_output(h.out);
    output->kernel_line(R"({"type":"result","data":[1]})");
    output->kernel_line(R"({"type":"result","data":[2]})");
    EXPECT_EQ(h.out_buf.flushes, 2);
    EXPECT_EQ(h.log, "{\"type\":\"result\",\"data\":[1]}\n{\"type\":\"result\",\"data\":[2]}\n");
}

TEST(OutputFlush, HeldLinesWaitForFlush)
{
    Held h;
    std::unique_ptr<Output> output = make_json_output(h.out);
    output->set_line_flush(false);
    output->kernel_line(R"({"type":"result","data":[1]})");
    output->timing("web", 5);
    output->error("web", Error{ErrorKind::request, "x"});
    EXPECT_EQ(h.out_buf.flushes, 0);
    EXPECT_EQ(h.log, "");
    output->flush();
    EXPECT_EQ(h.log, "{\"type\":\"result\",\"data\":[1]}\n"
                     "{\"type\":\"timing\",\"state\":\"web\",\"data\":{\"round_trip_ns\":5}}\n"
                     "{\"type\":\"error\",\"state\":\"web\",\"data\":{\"kind\":\"request\","
                     "\"message\":\"x\"}}\n");
}

TEST(OutputFlush, HeldTextKeepsItsOrderWithErrors)
{
    Held h;
    std::unique_ptr<Output> output = make_text_output(h.out, h.err);
    output->set_line_flush(false);
    output->kernel_line(R"({"type":"result","data":[1]})");
    output->kernel_line(R"({"type":"print","data":"p"})");
    EXPECT_EQ(h.log, "");
    output->kernel_line(R"({"type":"error","data":{"kind":"runtime","message":"boom"}})");
    output->kernel_line(R"({"type":"result","data":[2]})");
    output->note("note");
    output->kernel_line(R"({"type":"result","data":[3]})");
    output->flush();
    EXPECT_EQ(h.log, "1\np\nklua: runtime error: boom\n2\nnote\n3\n");
}

TEST(OutputText, IsTextOrATextLine)
{
    Text t;
    t.output->text(".json is off");
    EXPECT_EQ(t.out.str(), ".json is off\n");
    Json j;
    j.output->text(".help [COMMAND]  show \"the\" commands\n.quit");
    EXPECT_EQ(j.out.str(),
              R"({"type":"text","data":".help [COMMAND]  show \"the\" commands\n.quit"})"
              "\n");
}

namespace {

// A stream like std::cerr (flushed after each insertion) that keeps what
// each flush wrote: one system call each on a real stderr.
class Writes : public std::stringbuf {
  public:
    std::vector<std::string> writes;

  protected:
    int sync() override
    {
        if (!str().empty())
            writes.push_back(str());
        str("");
        return 0;
    }
};

} // namespace

TEST(TextOutput, EachLineOnStderrIsOneWrite)
{
    std::ostringstream out;
    Writes writes;
    std::ostream err(&writes);
    err.setf(std::ios::unitbuf);
    std::unique_ptr<Output> output = make_text_output(out, err);
    output->timing("web", 1500);
    output->note("a note");
    output->error("web", Error{ErrorKind::usage, "bad"});
    output->overrun("web");
    output->kernel_line(R"({"type":"lost","state":"web","data":{"count":3}})");
    output->kernel_line(
        R"({"type":"error","data":{"kind":"runtime","message":"x:1: boom","traceback":"stack traceback:\n\t[C]: in ?"}})");
    ASSERT_EQ(writes.writes.size(), 6u);
    for (const std::string& w : writes.writes) {
        EXPECT_EQ(w.back(), '\n') << w;
    }
    EXPECT_EQ(writes.writes[0], "time: 1.5us\n");
    EXPECT_EQ(writes.writes[5].find("klua: runtime error: x:1: boom"), 0u) << writes.writes[5];
    EXPECT_NE(writes.writes[5].find("\nstack traceback:\n\t[C]: in ?\n"), std::string::npos)
        << writes.writes[5];
}
