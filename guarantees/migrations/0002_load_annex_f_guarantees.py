"""Loads both Guarantees from Annex F of "Your child, your schools, our future"
(DCSF, 2009): every bullet is one entitlement, in the text's order, marked
"already expected" or "new", with the phase, age range and start date where the
text gives one. Also the complaint stages' working-day deadlines (data, editable
in the admin)."""

import datetime as dt

from django.db import migrations

INTRODUCTIONS = {
    "pupil": (
        "Pupil Guarantee",
        "The 21st Century School Pupil Guarantee will ensure that there are high aspirations "
        "for all pupils and that each and every pupil is given the opportunity to do the best "
        "they possibly can and succeed in school and in adult life.",
    ),
    "parent": (
        "Parent Guarantee",
        "The 21st Century School Parent Guarantee will ensure that every child goes to a school "
        "that has high aspirations for them and is given the opportunity to do the best they "
        "possibly can to succeed in school and in adult life.\n\nIn addition, the Parent "
        "Guarantee will ensure that schools work with mothers, fathers and other carers as full "
        "partners in their child's learning and wider development.",
    ),
}

# Working days per complaint stage (the school's, the governing body's, the time
# a complainant has to take it to the Ombudsman, the Ombudsman's, compliance).
STAGE_DEADLINES = [
    ("received", 5, "The school acknowledges the complaint"),
    ("school_resolution", 15, "The headteacher or staff resolve it"),
    ("governing_body_review", 20, "The governing body (link governor) reviews it"),
    ("school_stage_exhausted", 60, "The complainant may take it to the Ombudsman"),
    ("with_ombudsman", 65, "The Local Government Ombudsman investigates"),
    ("ombudsman_recommendation", 20, "The school complies with the recommendation"),
    ("secretary_of_state_direction", 20, "The school complies with the direction"),
]

ANNEX_F = [
    {
        "key": "pupil",
        "ambitions": [
            {
                "letter": "a",
                "title": "Good behaviour, strong discipline, order and safety",
                "statement": "every pupil will go to a school where there is good behaviour, "
                "strong discipline, order and safety;",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "have effective policies in place to promote good "
                        "behaviour and discipline;",
                        "focus_area": "behaviour",
                    },
                    {
                        "kind": "already_expected",
                        "text": "have effective policies in place to prevent and "
                        "tackle all forms of bullying;",
                        "focus_area": "behaviour",
                    },
                    {
                        "kind": "already_expected",
                        "text": "involve pupils in developing and reviewing the "
                        "school behaviour policy;",
                        "focus_area": "behaviour",
                    },
                    {
                        "kind": "already_expected",
                        "text": "engage with parents when a pupil fails to attend "
                        "school regularly, persistently misbehaves, or is "
                        "excluded; and",
                        "focus_area": "attendance",
                    },
                    {
                        "kind": "already_expected",
                        "text": "maintain a safe environment and take measures, "
                        "where appropriate, to keep weapons out of school.",
                        "focus_area": "wellbeing_safeguarding",
                    },
                    {
                        "kind": "new",
                        "text": "that pupils know what behaviour is expected of "
                        "them and the consequences of misbehaving, from "
                        "September 2009;",
                        "focus_area": "behaviour",
                        "from_date": "2009-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that all pupils have the opportunity to have their "
                        "say about standards of behaviour in their school, "
                        "from spring 2010; and",
                        "focus_area": "behaviour",
                        "from_date": "2010-01-01",
                    },
                    {
                        "kind": "new",
                        "text": "that pupils who need support for their behaviour "
                        "outside the ordinary classroom have access to "
                        "high-quality learning opportunities.",
                        "focus_area": "behaviour",
                    },
                ],
            },
            {
                "letter": "b",
                "title": "Taught a broad, balanced and flexible curriculum including skills "
                "for learning and life",
                "statement": "every pupil will go to a school where they are taught a broad, "
                "balanced and flexible curriculum including skills for learning "
                "and life;",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "provide a balanced and broad-based curriculum "
                        "which gives opportunities to learn and achieve and "
                        "which prepares all pupils for the opportunities, "
                        "responsibilities and experiences of later life, "
                        "and promotes pupils' spiritual, moral, cultural, "
                        "mental and physical development.",
                        "focus_area": "curriculum_teacher_development",
                    },
                    {
                        "kind": "new",
                        "text": "that the curriculum is tailored to every child's "
                        "needs so that, from September 2011, every primary "
                        "pupil receives the support they need to secure "
                        "good literacy, numeracy and ICT skills, learn "
                        "another language and about the humanities, "
                        "science, technology and the arts, such as learning "
                        "to play a musical instrument;",
                        "focus_area": "curriculum_teacher_development",
                        "phases": ["primary"],
                        "from_date": "2011-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every 11-14 year-old enjoys relevant and "
                        "challenging learning in all subjects and develops "
                        "their personal, learning and thinking skills so "
                        "that they have strong foundations to make their "
                        "14-19 choices. This will be phased in by September "
                        "2010;",
                        "focus_area": "curriculum_teacher_development",
                        "phases": ["secondary"],
                        "min_age": 11,
                        "max_age": 14,
                        "from_date": "2010-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every learner from 14-19 has the choice of "
                        "learning route and qualifications from "
                        "Apprenticeships, Diplomas, the Foundation Learning "
                        "Tier and GCSEs/A-Levels; this will ensure that "
                        "they have the opportunity to gain functional "
                        "skills and increase opportunities to progress to "
                        "higher education. This will be phased in by 2013;",
                        "focus_area": "curriculum_teacher_development",
                        "phases": ["secondary", "sixteen_plus"],
                        "min_age": 14,
                        "max_age": 19,
                        "from_date": "2013-01-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil understands they have, and are "
                        "encouraged to take up, the opportunity to study at "
                        "least two science GCSEs and, by September 2014, "
                        "those who would benefit from a more stretching "
                        "science curriculum have the opportunity to study "
                        "triple science GCSE (physics, chemistry and "
                        "biology);",
                        "focus_area": "curriculum_teacher_development",
                        "phases": ["secondary"],
                        "from_date": "2014-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil aged 14-19 has the opportunity to "
                        "undertake community service and high-quality "
                        "work-related learning, by September 2009; and",
                        "focus_area": "curriculum_teacher_development",
                        "phases": ["secondary", "sixteen_plus"],
                        "min_age": 14,
                        "max_age": 19,
                        "from_date": "2009-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every young person is participating in "
                        "education or training up to the age of 17 from "
                        "2013 and up to the age of 18 from 2015.",
                        "focus_area": "curriculum_teacher_development",
                        "phases": ["secondary", "sixteen_plus"],
                        "max_age": 18,
                        "from_date": "2013-01-01",
                    },
                ],
            },
            {
                "letter": "c",
                "title": "Taught in a way that meets their needs, where progress is regularly "
                "checked, and where additional needs are spotted early and quickly "
                "addressed",
                "statement": "every pupil will go to a school where they are taught in a way "
                "that meets their needs, where their progress is regularly "
                "checked and where additional needs are spotted early and "
                "quickly addressed;",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "ensure teachers are appropriately qualified and "
                        "receive training so that they can teach well;",
                        "focus_area": "curriculum_teacher_development",
                    },
                    {
                        "kind": "already_expected",
                        "text": "encourage teachers to tailor their teaching to the "
                        "needs of each individual pupil;",
                        "focus_area": "teaching_learning",
                    },
                    {
                        "kind": "already_expected",
                        "text": "have teachers who are trained to effectively "
                        "assess and monitor each pupil's progress; and",
                        "focus_area": "teaching_learning",
                    },
                    {
                        "kind": "already_expected",
                        "text": "work with the National Strategies, the Every Child "
                        "a Chance Trust and those local authorities "
                        "delivering Every Child a Reader (ECAR) and Every "
                        "Child Counts (ECC) to identify and support Key "
                        "Stage 1 pupils who are significantly falling "
                        "behind in literacy and numeracy.",
                        "focus_area": "teaching_learning",
                        "phases": ["primary"],
                        "min_age": 5,
                        "max_age": 7,
                    },
                    {
                        "kind": "new",
                        "text": "that every secondary school pupil, from September "
                        "2010, receives personalised support from a "
                        "Personal Tutor who knows them well, has an "
                        "overview of their progress, and ensures any "
                        "learning needs or issues are quickly addressed;",
                        "focus_area": "teaching_learning",
                        "phases": ["secondary"],
                        "from_date": "2010-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "all secondary school pupils have access to "
                        "high-quality careers education and information, "
                        "advice and guidance so they can make informed "
                        "choices about learning, work and lifestyles and "
                        "are well supported during transitions;",
                        "focus_area": "teaching_learning",
                        "phases": ["secondary"],
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil goes to a school that identifies "
                        "their additional needs quickly and is linked up to "
                        "health and other specialist services, so they can "
                        "access the help they need swiftly and easily;",
                        "focus_area": "wellbeing_safeguarding",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil, aged seven to eleven who has "
                        "fallen behind national expectations and is not "
                        "making good progress, receives one-to-one tuition "
                        "in English or mathematics to get them back on "
                        "track, from September 2010;",
                        "focus_area": "teaching_learning",
                        "phases": ["primary"],
                        "min_age": 7,
                        "max_age": 11,
                        "from_date": "2010-09-01",
                        "one_to_one_tuition": True,
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil beginning secondary school behind "
                        "national expectations in English and mathematics "
                        "receives one-to-one or small group tuition and "
                        "their learning is assessed through a progress "
                        "check, which is reported to parents, from "
                        "September 2010;",
                        "focus_area": "teaching_learning",
                        "phases": ["secondary"],
                        "min_age": 11,
                        "max_age": 12,
                        "from_date": "2010-09-01",
                        "one_to_one_tuition": True,
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil identified as gifted and talented "
                        "receives written confirmation by their school of "
                        "the extra challenge and support they will receive, "
                        "by September 2010; and",
                        "focus_area": "teaching_learning",
                        "from_date": "2010-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil has an opportunity to have a say "
                        "on how well their school is doing and how it can "
                        "be improved.",
                        "focus_area": "leadership_management",
                    },
                ],
            },
            {
                "letter": "d",
                "title": "Take part in sport and cultural activities",
                "statement": "every pupil will go to a school where they take part in sport "
                "and cultural activities; and",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "deliver two hours high-quality PE and sport as "
                        "part of School Sport Partnerships; and",
                        "focus_area": "curriculum_teacher_development",
                    },
                    {
                        "kind": "already_expected",
                        "text": "promote pupils' spiritual, moral, social and "
                        "cultural development.",
                        "focus_area": "curriculum_teacher_development",
                    },
                    {
                        "kind": "new",
                        "text": "that every 5-16 year-old has access to five hours, "
                        "and every 16-19 year-old has access to three "
                        "hours, of high-quality PE and sport per week, in "
                        "and out-of-school, by September 2009;",
                        "focus_area": "curriculum_teacher_development",
                        "phases": ["primary", "secondary", "sixteen_plus"],
                        "min_age": 5,
                        "max_age": 19,
                        "from_date": "2009-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil should have access to regular "
                        "competitive sport, coaching to improve their "
                        "skills and enjoyment, a choice of different "
                        "sports, pathways to club and elite sport, and "
                        "opportunities to lead and volunteer in sport;",
                        "focus_area": "curriculum_teacher_development",
                    },
                    {
                        "kind": "new",
                        "text": "that through partnerships between schools and "
                        "other external providers (such as libraries, "
                        "museums, and performing arts organisations), every "
                        "pupil should have access to high-quality cultural "
                        "activities in and out-of-school, with an "
                        "aspiration that, over time, this will reach five "
                        "hours a week for all;",
                        "focus_area": "curriculum_teacher_development",
                    },
                    {
                        "kind": "new",
                        "text": "that every primary school pupil should have access "
                        "to childcare in response to the local pattern of "
                        "demand, by September 2010; and",
                        "focus_area": "other",
                        "phases": ["primary"],
                        "from_date": "2010-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil should have access to activities "
                        "out-of-school hours, which may include study "
                        "support, play/recreation, sport, music clubs, arts "
                        "and crafts and other special interest clubs, and "
                        "business and enterprise activities, by September "
                        "2010. And every young person should have access to "
                        "a range of positive activities in their local "
                        "area.",
                        "focus_area": "other",
                        "from_date": "2010-09-01",
                    },
                ],
            },
            {
                "letter": "e",
                "title": "Health and wellbeing is promoted",
                "statement": "every pupil will go to a school that promotes their health and "
                "wellbeing, where they have the chance to express their views "
                "and where they and their families are welcomed and valued.",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "promote the five Every Child Matters outcomes of: "
                        "be healthy, stay safe, enjoy and achieve, make a "
                        "positive contribution, and achieve economic "
                        "wellbeing.",
                        "focus_area": "wellbeing_safeguarding",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil receives personal, social, health "
                        "and economic education (PSHE) from September 2011; "
                        "and",
                        "focus_area": "wellbeing_safeguarding",
                        "from_date": "2011-09-01",
                    },
                    {
                        "kind": "new",
                        "text": "that every pupil should go to a Healthy School "
                        "that promotes healthy eating, an active lifestyle "
                        "and emotional health and wellbeing.",
                        "focus_area": "wellbeing_safeguarding",
                    },
                ],
            },
        ],
    },
    {
        "key": "parent",
        "ambitions": [
            {
                "letter": "a",
                "title": "Have opportunities, information and support to exercise choice with "
                "and on behalf of their child",
                "statement": "every parent will have opportunities, information and support "
                "to exercise choice with and on behalf of their child;",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "have confidence that the Admissions Code will "
                        "ensure that there is a fair process in place to "
                        "allocate a school place to their child;",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "already_expected",
                        "text": "get help and support from choice advisers;",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "already_expected",
                        "text": "have their views on extended services, behaviour, "
                        "the curriculum and travel listened to and acted "
                        "upon by the school;",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "already_expected",
                        "text": "have their views listened to by Ofsted during "
                        "school inspections and in decisions about when to "
                        "inspect;",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "already_expected",
                        "text": "be confident that the Government will take action "
                        "where schools or local authorities are not "
                        "delivering a high-quality education;",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "already_expected",
                        "text": "access information on school policies including on "
                        "SEN and usually covering behaviour and uniform "
                        "expectations; and",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "already_expected",
                        "text": "become involved in school governance.",
                        "focus_area": "governance_trust",
                    },
                    {
                        "kind": "new",
                        "text": "parents get a package of information on every "
                        "school in which they are interested that includes "
                        "the School Report Card, giving information on "
                        "school performance, and its prospectus, giving "
                        "information on its policies, including "
                        "expectations of behaviour;",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "new",
                        "text": "parents get high-quality information and advice on "
                        "the career and subject choices open to their child "
                        "as outlined in the forthcoming Information, Advice "
                        "and Guidance Strategy;",
                        "focus_area": "leadership_management",
                        "phases": ["secondary"],
                    },
                    {
                        "kind": "new",
                        "text": "parents will be asked for their views on how the "
                        "school is doing and their views will be included "
                        "on the School Report Card; and",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "new",
                        "text": "local authorities will seek and listen to parents' "
                        "views on the quality of the schools in their local "
                        "area.",
                        "focus_area": "other",
                    },
                ],
            },
            {
                "letter": "b",
                "title": "Have a Home School Agreement outlining their rights and "
                "responsibilities for their child's schooling",
                "statement": "every parent will have a Home School Agreement outlining their "
                "rights and responsibilities for their child's schooling;",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "have a Home School Agreement that outlines the "
                        "school's and family's responsibilities.",
                        "focus_area": "behaviour",
                    },
                    {
                        "kind": "new",
                        "text": "that the new Home School Agreement will make clear "
                        "to every parent their particular responsibilities, "
                        "especially around the behaviour of their child;",
                        "focus_area": "behaviour",
                    },
                    {
                        "kind": "new",
                        "text": "schools will understand that they have new and "
                        "stronger powers to enforce the new Home School "
                        "Agreement where parents are not fulfilling their "
                        "responsibilities around behaviour; and",
                        "focus_area": "behaviour",
                    },
                    {
                        "kind": "new",
                        "text": "that all parents understand the expectations of "
                        "them and their child and the consequences of not "
                        "acting to support the school in addressing their "
                        "child's behaviour issues.",
                        "focus_area": "behaviour",
                    },
                ],
            },
            {
                "letter": "c",
                "title": "Have the opportunity, information and support they need to be "
                "involved and engaged in their child's learning and development",
                "statement": "every parent will have the opportunity, information and support "
                "they need to be involved and engaged in their child's learning "
                "and development; and",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "provide parents with annual reports on their "
                        "children's progress; and",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "already_expected",
                        "text": "provide parents with access to their children's "
                        "school record when requested.",
                        "focus_area": "leadership_management",
                    },
                    {
                        "kind": "new",
                        "text": "parents can contact and meet a member of staff who "
                        "knows their child well – a named Personal Tutor in "
                        "secondary schools or their child's teacher in "
                        "primary schools;",
                        "focus_area": "teaching_learning",
                    },
                    {
                        "kind": "new",
                        "text": "all parents understand their child's individual "
                        "learning and development priorities and their "
                        "child's particular needs;",
                        "focus_area": "teaching_learning",
                    },
                    {
                        "kind": "new",
                        "text": "all parents understand their responsibilities to "
                        "help their child progress and develop and "
                        "understand how to support them;",
                        "focus_area": "teaching_learning",
                    },
                    {
                        "kind": "new",
                        "text": "parents have information on their child's "
                        "behaviour, attendance, SEN, progress and "
                        "attainment online in secondary schools by 2010 and "
                        "in primary schools by 2012;",
                        "focus_area": "leadership_management",
                        "phases": ["primary", "secondary"],
                        "from_date": "2010-01-01",
                    },
                    {
                        "kind": "new",
                        "text": "Parents receive information about catch-up support "
                        "for pupils starting secondary school behind "
                        "national expectations plus information on their "
                        "child's progress, including the results of a new "
                        "progress check during year 7; and",
                        "focus_area": "leadership_management",
                        "phases": ["secondary"],
                        "min_age": 11,
                        "max_age": 12,
                    },
                    {
                        "kind": "new",
                        "text": "parents receive written confirmation of the extra "
                        "challenge and support their child will receive if "
                        "they are identified as gifted and talented and a "
                        "clear understanding of what they should do to help "
                        "them.",
                        "focus_area": "leadership_management",
                    },
                ],
            },
            {
                "letter": "d",
                "title": "Have access to extended services including support and advice on "
                "parenting",
                "statement": "every parent will have access to extended services including "
                "support and advice on parenting.",
                "entitlements": [
                    {
                        "kind": "already_expected",
                        "text": "Work with local authorities to offer support for "
                        "parents, including Parent Support Advisers or "
                        "other similar professionals who work with parents "
                        "who need additional support.",
                        "focus_area": "wellbeing_safeguarding",
                    },
                    {
                        "kind": "new",
                        "text": "that parents have access to a range of extended "
                        "services by 2010 including: information and "
                        "support on parenting skills and advice on "
                        "parenting issues; childcare; activities; and "
                        "opportunities to enhance their own learning and to "
                        "learn with their child; and",
                        "focus_area": "wellbeing_safeguarding",
                        "from_date": "2010-01-01",
                    },
                    {
                        "kind": "new",
                        "text": "that parents' views of the additional needs of "
                        "their child are taken into account when the child "
                        "joins the school and if problems occur.",
                        "focus_area": "wellbeing_safeguarding",
                    },
                ],
            },
        ],
    },
]


def load(apps, schema_editor):
    Guarantee = apps.get_model("guarantees", "Guarantee")
    Ambition = apps.get_model("guarantees", "Ambition")
    Entitlement = apps.get_model("guarantees", "Entitlement")
    ComplaintStageSla = apps.get_model("guarantees", "ComplaintStageSla")
    for position, block in enumerate(ANNEX_F, start=1):
        title, introduction = INTRODUCTIONS[block["key"]]
        guarantee, _ = Guarantee.objects.update_or_create(
            key=block["key"],
            defaults={"title": title, "introduction": introduction, "position": position},
        )
        for item in block["ambitions"]:
            ambition, _ = Ambition.objects.update_or_create(
                guarantee=guarantee,
                letter=item["letter"],
                defaults={"title": item["title"], "statement": item["statement"]},
            )
            for index, row in enumerate(item["entitlements"], start=1):
                from_date = row.get("from_date")
                Entitlement.objects.update_or_create(
                    ambition=ambition,
                    position=index,
                    defaults={
                        "kind": row["kind"],
                        "text": row["text"],
                        "focus_area": row["focus_area"],
                        "phases": row.get("phases", []),
                        "min_age": row.get("min_age"),
                        "max_age": row.get("max_age"),
                        "from_date": dt.date.fromisoformat(from_date) if from_date else None,
                        "one_to_one_tuition": row.get("one_to_one_tuition", False),
                    },
                )
    for state, days, description in STAGE_DEADLINES:
        ComplaintStageSla.objects.get_or_create(
            state=state, defaults={"working_days": days, "description": description}
        )


def unload(apps, schema_editor):
    apps.get_model("guarantees", "ComplaintStageSla").objects.all().delete()
    apps.get_model("guarantees", "Guarantee").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("guarantees", "0001_guarantees_self_assessments_complaints")]

    operations = [migrations.RunPython(load, unload)]
