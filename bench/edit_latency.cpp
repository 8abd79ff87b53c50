// styrdok-edit-bench: how long an edit takes to become searchable on a running `styrdok
// serve` (issue 5), for bench/edit-bench.
//
//   styrdok-edit-bench --port P --user NAME --ids FILE [--edits N] [--drafts]
//                                                                     (password on stdin)
//
// First one GET with HTTP Basic signs the account in (the server's Argon2id check, timed and
// shown alone). Then, for N documents of IDS (spread over the file), one after the other: read the
// document (GET /api/documents/{id}, not timed), then, timed from the moment the PUT is sent, PUT
// its text with one new word that no document has (If-Match: its version, HTTP Basic), and search
// for that word (GET /api/search?q=WORD&status=alla, hits only: the document may be repealed)
// until the document is among the hits. With --drafts, the edits go to the documents' drafts
// instead (PUT ?draft=1, from the draft when there is one, else from the version on main), and
// the account searches for them with status=utkast (the account must see drafts: a clerk or
// an admin).
// Prints p50, p99 and max of the PUT alone and of PUT to found, how many searches it took,
// the slowest edits (their number in the run, so a tail at the first edits after start-up
// shows), and, to show what the account's password check costs in each PUT, p50 of the same
// GET of a document with and without HTTP Basic.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// How long one edit may take to become searchable before the run counts it as lost.
constexpr auto kGiveUp = std::chrono::seconds(10);

struct Answer {
    int status = 0;
    std::string body;
};

class Client {
public:
    Client(std::uint16_t port, std::string user, std::string password)
        : session_("127.0.0.1", port), user_(std::move(user)), password_(std::move(password)) {
        session_.setKeepAlive(true);
        session_.setTimeout(Poco::Timespan(60, 0));
    }

    Answer Send(const std::string& method, const std::string& target, bool authenticated,
                const std::string& if_match = {}, const std::string& body = {}) {
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        if (authenticated) Poco::Net::HTTPBasicCredentials(user_, password_).authenticate(request);
        if (!if_match.empty()) request.set("If-Match", "\"" + if_match + "\"");
        if (method != "GET") {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session_.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session_.receiveResponse(response);
        Answer answer;
        answer.status = static_cast<int>(response.getStatus());
        answer.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        return answer;
    }

private:
    Poco::Net::HTTPClientSession session_;
    std::string user_;
    std::string password_;
};

Poco::JSON::Object::Ptr ParseObject(const Answer& answer, const std::string& what) {
    if (answer.status != 200 && answer.status != 201) {
        throw std::runtime_error(what + ": HTTP " + std::to_string(answer.status) + " " +
                                 answer.body.substr(0, 200));
    }
    Poco::JSON::Parser parser;
    return parser.parse(answer.body).extract<Poco::JSON::Object::Ptr>();
}

// Letters the Swedish stemmer leaves alone at the end of a word: consonants only, no s.
std::string Letters(unsigned long long n) {
    static constexpr std::string_view kLetters = "bcdfghjklmnpqrtvwz";
    std::string word;
    do {
        word += kLetters[n % kLetters.size()];
        n /= kLetters.size();
    } while (n > 0);
    return word;
}

bool Finds(Client& client, const std::string& word, const std::string& id, bool drafts) {
    Poco::JSON::Object::Ptr result = ParseObject(
        client.Send("GET",
                    "/api/search?q=" + word + (drafts ? "&status=utkast" : "&status=alla") +
                        "&facets=false&snippets=false&per_page=5",
                    drafts),
        "search");
    Poco::JSON::Array::Ptr hits = result->getArray("hits");
    for (unsigned i = 0; i < hits->size(); ++i) {
        if (hits->getObject(i)->getValue<std::string>("id") == id) return true;
    }
    return false;
}

// Nearest rank: with 50 samples, p99 is the largest.
double Percentile(std::vector<double> values, double p) {
    if (values.empty()) return NAN;
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::max<std::size_t>(rank, 1) - 1];
}

double Max(const std::vector<double>& values) {
    return values.empty() ? NAN : *std::max_element(values.begin(), values.end());
}

// One edit's times; found_ms is NAN for an edit not found within kGiveUp.
struct EditTime {
    int edit = 0;
    std::string id;
    double put_ms = 0;
    double found_ms = NAN;
};

// The `count` slowest edits by PUT to found (lost ones first), one a line.
void PrintSlowest(std::vector<EditTime> times, std::size_t count) {
    std::sort(times.begin(), times.end(), [](const EditTime& a, const EditTime& b) {
        if (std::isnan(a.found_ms) != std::isnan(b.found_ms)) return std::isnan(a.found_ms);
        return a.found_ms > b.found_ms;
    });
    times.resize(std::min(count, times.size()));
    std::printf("slowest edits (number in the run from 0, PUT ms, found ms):");
    for (const EditTime& time : times) {
        std::printf(" #%d %.1f/%.1f", time.edit, time.put_ms, time.found_ms);
    }
    std::printf("\n");
}

double Since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int Run(std::uint16_t port, const std::string& user, const std::string& password,
        const std::vector<std::string>& ids, int edits, bool drafts) {
    Client client(port, user, password);
    // Words unique to this run, so that a registry edited before still has none of them.
    const std::string run = Letters(static_cast<unsigned long long>(std::time(nullptr)));
    std::vector<double> put_ms, searchable_ms, searches;
    std::vector<EditTime> times;
    int lost = 0;
    // The server checks a password's Argon2id hash once and then remembers it for minutes:
    // that check (and the 64 MiB it takes) belongs to the client's sign-in, not to its first
    // edit, so the client signs in before the edits and the check is shown on its own.
    const Clock::time_point sign_in = Clock::now();
    client.Send("GET", "/api/documents/" + ids.front(), true);
    const double sign_in_ms = Since(sign_in);
    for (int edit = 0; edit < edits; ++edit) {
        const std::string& id =
            ids[static_cast<std::size_t>(edit) * ids.size() / static_cast<std::size_t>(edits)];
        // A draft goes on from the document's draft, or starts from the version on main.
        const Answer draft =
            drafts ? client.Send("GET", "/api/documents/" + id + "?draft=1", true) : Answer{};
        Poco::JSON::Object::Ptr document =
            draft.status == 200
                ? ParseObject(draft, "read the draft of " + id)
                : ParseObject(client.Send("GET", "/api/documents/" + id, false), "read " + id);
        const std::string word = "redz" + run + "q" + Letters(static_cast<unsigned>(edit)) + "x";
        Poco::JSON::Object change;
        change.set("text", document->getValue<std::string>("text") + "\n\nÄndrad: " + word + "\n");
        change.set("summary", "styrdok-edit-bench");
        std::ostringstream body;
        change.stringify(body);

        const Clock::time_point start = Clock::now();
        ParseObject(client.Send("PUT", "/api/documents/" + id + (drafts ? "?draft=1" : ""), true,
                                document->getValue<std::string>("version"), body.str()),
                    "PUT " + id);
        put_ms.push_back(Since(start));
        times.push_back({edit, id, put_ms.back()});
        int tries = 1;
        while (!Finds(client, word, id, drafts)) {
            if (Clock::now() - start > kGiveUp) break;
            ++tries;
        }
        if (Clock::now() - start > kGiveUp) {
            ++lost;
            continue;
        }
        searchable_ms.push_back(Since(start));
        times.back().found_ms = searchable_ms.back();
        searches.push_back(tries);
    }

    // The password check in each PUT: the same read with and without HTTP Basic.
    std::vector<double> anonymous_ms, basic_ms;
    for (int i = 0; i < std::min(edits, 20); ++i) {
        const std::string target = "/api/documents/" + ids[static_cast<std::size_t>(i)];
        for (bool authenticated : {false, true}) {
            const Clock::time_point start = Clock::now();
            client.Send("GET", target, authenticated);
            (authenticated ? basic_ms : anonymous_ms).push_back(Since(start));
        }
    }

    std::printf("%-48s %8s %8s %8s\n", "", "p50 ms", "p99 ms", "max ms");
    std::printf("%-48s %8.1f %8.1f %8.1f\n",
                drafts ? "PUT /api/documents/{id}?draft=1 (commit + index)"
                       : "PUT /api/documents/{id} (commit + index)",
                Percentile(put_ms, 0.5), Percentile(put_ms, 0.99), Max(put_ms));
    std::printf("%-48s %8.1f %8.1f %8.1f\n", "PUT sent to found by /api/search",
                Percentile(searchable_ms, 0.5), Percentile(searchable_ms, 0.99),
                Max(searchable_ms));
    std::printf("%-48s %8.1f\n", "first GET with HTTP Basic (password check)", sign_in_ms);
    std::printf("%-48s %8.1f %8.1f\n", "GET /api/documents/{id} with HTTP Basic",
                Percentile(basic_ms, 0.5), Percentile(basic_ms, 0.99));
    std::printf("%-48s %8.1f %8.1f\n", "GET /api/documents/{id} anonymous",
                Percentile(anonymous_ms, 0.5), Percentile(anonymous_ms, 0.99));
    std::printf("%d edits, %zu found by the first search after the PUT's answer, %d lost\n", edits,
                static_cast<std::size_t>(std::count(searches.begin(), searches.end(), 1.0)), lost);
    PrintSlowest(times, 5);
    // With the first edit left out: what a server that has been up a while gives.
    if (searchable_ms.size() > 1 && !std::isnan(times.front().found_ms)) {
        const std::vector<double> later(searchable_ms.begin() + 1, searchable_ms.end());
        std::printf("PUT to found without the first edit: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                    Percentile(later, 0.5), Percentile(later, 0.99), Max(later));
    }
    // One line for scripts/bench to parse.
    std::printf(
        "edit-result put_p50=%.1f put_p99=%.1f found_p50=%.1f found_p99=%.1f lost=%d "
        "put_max=%.1f found_max=%.1f\n",
        Percentile(put_ms, 0.5), Percentile(put_ms, 0.99), Percentile(searchable_ms, 0.5),
        Percentile(searchable_ms, 0.99), lost, Max(put_ms), Max(searchable_ms));
    return lost == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("Edit-to-searchable latency of a running styrdok serve (password on stdin)");
    int port = 0;
    int edits = 50;
    bool drafts = false;
    std::string user;
    std::string ids_file;
    app.add_option("--port", port, "The server's port on 127.0.0.1")
        ->required()
        ->check(CLI::Range(1, 65535));
    app.add_option("--user", user, "An account that may revise the documents")->required();
    app.add_option("--ids", ids_file, "Ids of documents to edit, one a line")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--edits", edits, "Edits, one after the other")->check(CLI::Range(1, 100000));
    app.add_flag("--drafts", drafts,
                 "Edit the documents' drafts and search for them with status=utkast");
    CLI11_PARSE(app, argc, argv);
    try {
        std::string password;
        std::getline(std::cin, password);
        std::vector<std::string> ids;
        std::ifstream in(ids_file);
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) ids.push_back(line);
        }
        if (ids.empty()) throw std::runtime_error("no ids in " + ids_file);
        return Run(static_cast<std::uint16_t>(port), user, password, ids, edits, drafts);
    } catch (const std::exception& error) {
        std::cerr << "styrdok-edit-bench: " << error.what() << "\n";
        return 2;
    }
}
