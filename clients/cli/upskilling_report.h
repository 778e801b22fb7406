// The upskilling sections of the rematch report (skill gaps; coverage by
// target group and unemployment duration) as text and as HTML with an inline
// SVG chart, and the skill-gap and upskilling-plan answers of
// `jobmatch skill-gap` / `jobmatch upskill` as text. docs/upskilling.md says
// how to read them.
#ifndef JOBMATCH_CLIENTS_CLI_UPSKILLING_REPORT_H_
#define JOBMATCH_CLIENTS_CLI_UPSKILLING_REPORT_H_

#include <string>

#include "jobmatch/v1/rematch_service.pb.h"
#include "jobmatch/v1/upskilling_service.pb.h"

namespace jobmatch::cli {

std::string RenderUpskillingSectionsText(const v1::RematchReport& report);
std::string RenderUpskillingSectionsHtml(const v1::RematchReport& report);
std::string RenderSkillGapsText(const v1::SkillGapsResponse& gaps);
std::string RenderUpskillingPlanText(const v1::UpskillingPlanResponse& plan);

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_UPSKILLING_REPORT_H_
