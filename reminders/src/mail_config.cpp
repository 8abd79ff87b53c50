#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

#include "styrdok/core/error.hpp"
#include "styrdok/reminders/reminders.hpp"

namespace styrdok::reminders {

namespace {

int Number(const Poco::Util::AbstractConfiguration& ini, const std::string& key, int fallback,
           int min, int max) {
    if (!ini.hasProperty(key)) return fallback;
    try {
        const long long value = ini.getInt64(key);
        if (value >= min && value <= max) return static_cast<int>(value);
    } catch (const Poco::Exception&) {
    }
    throw Error(ErrorCode::kBadInput, "configuration: " + key + " must be a whole number " +
                                          std::to_string(min) + "–" + std::to_string(max));
}

}  // namespace

MailConfig LoadMailConfig(const std::filesystem::path& file, MailConfig mail) {
    if (!std::filesystem::exists(file)) return mail;
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
    try {
        ini = new Poco::Util::IniFileConfiguration(file.string());
    } catch (const Poco::Exception& error) {
        throw Error(ErrorCode::kBadInput, file.string() + ": " + error.displayText());
    }
    mail.smtp_host = ini->getString("mail.smtp_host", mail.smtp_host);
    mail.smtp_port =
        static_cast<std::uint16_t>(Number(*ini, "mail.smtp_port", mail.smtp_port, 1, 65535));
    if (ini->hasProperty("mail.starttls")) {
        try {
            mail.starttls = ini->getBool("mail.starttls");
        } catch (const Poco::Exception&) {
            throw Error(ErrorCode::kBadInput, "configuration: mail.starttls must be true or false");
        }
    }
    mail.username = ini->getString("mail.username", mail.username);
    mail.password = ini->getString("mail.password", mail.password);
    mail.sender = ini->getString("mail.sender", mail.sender);
    mail.days_before = Number(*ini, "mail.days_before", mail.days_before, 0, 366);
    mail.repeat_days = Number(*ini, "mail.repeat_days", mail.repeat_days, 1, 366);
    mail.hour = Number(*ini, "mail.hour", mail.hour, 0, 23);
    mail.public_url = ini->getString("site.public_url", mail.public_url);
    while (!mail.public_url.empty() && mail.public_url.back() == '/') mail.public_url.pop_back();
    return mail;
}

}  // namespace styrdok::reminders
