// The rematch report as plain-text tables for a terminal
// (`jobmatch rematch-report`), and helpers the HTML page shares.
#ifndef JOBMATCH_CLIENTS_CLI_REMATCH_REPORT_TEXT_H_
#define JOBMATCH_CLIENTS_CLI_REMATCH_REPORT_TEXT_H_

#include <string>

#include "jobmatch/v1/rematch_service.pb.h"

namespace jobmatch::cli {

// Every section of the report: summary, coverage by municipality and by
// target group, score distributions, fairness audit, plain vs allocation.
std::string RenderReportText(const v1::RematchReport& report);

// "København (101)", or the code alone when the name is unknown.
std::string MunicipalityLabel(const v1::CoverageRow& row);
// "12.3%"
std::string Pct(double share);

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_REMATCH_REPORT_TEXT_H_
