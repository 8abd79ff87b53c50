#include <sstream>

#include "styrdok/core/document_review.hpp"
#include "styrdok/reminders/reminders.hpp"

namespace styrdok::reminders {

namespace {

std::string BodyName(const core::Schema& schema, const std::string& id) {
    const core::Body* body = schema.FindBody(id);
    return body ? body->name : id;
}

}  // namespace

MailText DigestText(const core::Digest& digest, const core::Schema& schema,
                    const MailConfig& mail) {
    std::size_t overdue = 0;
    for (const core::ReminderItem& item : digest.items) overdue += item.overdue ? 1 : 0;
    MailText text;
    text.subject = "Påminnelse om aktualitetsprövning: " + std::to_string(digest.items.size()) +
                   " styrdokument";
    if (overdue > 0) {
        text.subject +=
            " (" + std::to_string(overdue) + (overdue == 1 ? " försenat)" : " försenade)");
    }

    std::ostringstream body;
    body << "Hej!\n\n"
         << "Det här är en påminnelse om aktualitetsprövning av styrdokument som du är "
            "ansvarig för.\n";
    auto list = [&](bool overdue_items, const char* heading) {
        bool first = true;
        for (const core::ReminderItem& item : digest.items) {
            if (item.overdue != overdue_items) continue;
            if (first) body << "\n" << heading << "\n";
            first = false;
            const core::Metadata& document = *item.document;
            body << "\n- " << document.title << " (" << document.id << ")\n";
            body << "  Beslutat av " << BodyName(schema, document.decided_by);
            if (document.decided_on) body << " " << document.decided_on->ToString();
            body << "\n";
            const std::optional<core::Date> last = core::LastAllowedDay(item.status);
            if (item.overdue) {
                body << "  Skulle ha prövats senast "
                     << (last ? last->ToString() : item.status.due_on->ToString()) << "\n";
            } else {
                body << "  Ska prövas från " << item.status.due_on->ToString();
                if (last) body << ", senast " << last->ToString();
                body << "\n";
            }
            if (!mail.public_url.empty()) {
                body << "  " << mail.public_url << "/documents/" << document.id << "\n";
            }
        }
    };
    list(true, "Försenade (tiden för prövning har gått ut):");
    list(false, "Ska prövas:");
    body << "\nAnmäl beslutet (fortsatt gällande, revideras eller upphävs) till registrator när "
            "det är fattat.\n";
    if (!digest.cc.empty()) {
        body << "Registrator får en kopia av påminnelsen eftersom prövningen är försenad.\n";
    }
    body << "\nDet här meddelandet är skickat automatiskt av Styrdok.\n";
    text.body = body.str();
    return text;
}

}  // namespace styrdok::reminders
