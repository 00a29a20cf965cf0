"""Annex A of the 2023/24 guidance as rows: (slug, name, category, summary).
The data migration seeds these; tests check every named programme is here."""

ANNEX_A = [
    # 1. Financial support
    (
        "srma",
        "School Resource Management Advisor (SRMA) programme",
        "financial_support",
        "Free, independent peer-to-peer advice on school and trust finances.",
    ),
    (
        "srm-collection",
        "School Resource Management Collection",
        "financial_support",
        "Free tools and guidance: benchmarking, procurement, ICFP, recruitment, technology.",
    ),
    # 2. Teacher development: every NPQ by name
    (
        "npqlt",
        "National Professional Qualification for Leading Teaching (NPQLT)",
        "teacher_development",
        "Specialist NPQ.",
    ),
    (
        "npqltd",
        "National Professional Qualification for Leading Teacher Development (NPQLTD)",
        "teacher_development",
        "Specialist NPQ.",
    ),
    (
        "npqll",
        "National Professional Qualification for Leading Literacy (NPQLL)",
        "teacher_development",
        "Specialist NPQ.",
    ),
    (
        "npqlbc",
        "National Professional Qualification for Leading Behaviour and Culture (NPQLBC)",
        "teacher_development",
        "Specialist NPQ.",
    ),
    (
        "npqlpm",
        "NPQ for Leading Primary Mathematics (NPQLPM)",
        "teacher_development",
        "Specialist NPQ; delivery from February 2024.",
    ),
    (
        "npqsl",
        "National Professional Qualification for Senior Leadership (NPQSL)",
        "teacher_development",
        "Leadership NPQ.",
    ),
    (
        "npqeyl",
        "National Professional Qualification for Early Years Leadership (NPQEYL)",
        "teacher_development",
        "Leadership NPQ.",
    ),
    (
        "npqh",
        "National Professional Qualification for Headship (NPQH)",
        "teacher_development",
        "Leadership NPQ.",
    ),
    (
        "npqel",
        "National Professional Qualification for Executive Leadership (NPQEL)",
        "teacher_development",
        "Leadership NPQ.",
    ),
    (
        "npq-senco",
        "National Professional Qualification for SENCOs",
        "teacher_development",
        "Replaces the National Award in SEN Co-ordination; through a Teaching School Hub.",
    ),
    (
        "early-headship-coaching",
        "Early Headship Coaching Offer",
        "teacher_development",
        "For headteachers in their first 5 years who are completing or completed the NPQH.",
    ),
    (
        "ecf",
        "Early Career Framework",
        "teacher_development",
        "Two years of development support and training for early career teachers.",
    ),
    (
        "hpitt",
        "High Potential Initial Teacher Training",
        "teacher_development",
        "Employment-based route into teaching in challenging schools (Teach First).",
    ),
    # 3. Recovery, behaviour and curriculum hubs
    (
        "ntp",
        "National Tutoring Programme",
        "hubs",
        "Subsidised tutoring: academic mentors, tuition partners, school-led tutoring.",
    ),
    (
        "tuition-fund-16-19",
        "16 to 19 Tuition Fund",
        "hubs",
        "Small group tuition for 16 to 19 year olds, for schools with a sixth form.",
    ),
    (
        "behaviour-hubs",
        "Behaviour Hubs Programme",
        "hubs",
        "Partner schools and MATs paired with lead schools with exemplary behaviour cultures.",
    ),
    (
        "ssp",
        "Systematic Synthetic Phonics",
        "hubs",
        "Validated SSP programmes for teaching early reading.",
    ),
    (
        "english-hubs",
        "English Hubs Programme",
        "hubs",
        "School-to-school support for reading, phonics, early language.",
    ),
    (
        "maths-hubs",
        "Maths Hubs Programme",
        "hubs",
        "Maths CPD including Teaching for Mastery, Mastering Number and Checkpoints.",
    ),
    (
        "amsp",
        "Advanced Maths Support Programme",
        "hubs",
        "Participation in Core Maths, AS/A level Mathematics and Further Mathematics.",
    ),
    (
        "science-learning-partnerships",
        "Science Learning Partnerships Programme",
        "hubs",
        "Science CPD and school-to-school support.",
    ),
    (
        "enhanced-science-subsidies",
        "Enhanced Science Subsidies",
        "hubs",
        "Subsidised science CPD at the National STEM Learning Centre.",
    ),
    (
        "computing-hubs",
        "Computing Hubs Programme",
        "hubs",
        "Computing CPD and the Computing Quality Framework.",
    ),
    (
        "music-hubs",
        "Music Hubs",
        "hubs",
        "Music education and CPD; help with a Music Development Plan.",
    ),
    (
        "send-hub",
        "SEND Hub",
        "hubs",
        "Accessible and inclusive curriculum; assistive technology training.",
    ),
    (
        "language-hubs",
        "Language Hubs",
        "hubs",
        "Modern foreign languages teaching, with the Goethe-Institut German Expert Mentors.",
    ),
    # 4. Workload reduction
    (
        "workload-reduction-toolkit",
        "School workload reduction toolkit",
        "workload_reduction",
        "Identify and prioritise workload issues; ready-made resources.",
    ),
    # 5. Mental health
    (
        "senior-mental-health-lead",
        "Senior mental health lead training grant",
        "mental_health",
        "A grant to train a senior mental health lead for a whole-school approach.",
    ),
    (
        "education-support",
        "Education Support: supervision and counselling for leaders",
        "mental_health",
        "Professional supervision and counselling for school and college leaders.",
    ),
    # Additional support elements
    (
        "persistent-absence",
        "Reducing persistent absence",
        "additional_support",
        "Working together to improve school attendance.",
    ),
    (
        "pupil-premium",
        "Pupil premium (and recovery premium)",
        "additional_support",
        "Using pupil premium effectively: the 5-step process and the conditions of grant.",
    ),
    (
        "pe-sport-premium",
        "PE and sport premium",
        "additional_support",
        "Ring-fenced grant for sustainable improvements to PE, sport and physical activity.",
    ),
    (
        "research-schools-network",
        "Research Schools Network",
        "additional_support",
        "EEF and IEE network of schools supporting the use of evidence.",
    ),
]
