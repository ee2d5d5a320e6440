from django.urls import path

from deviations import response_views, secretariat_views, views

app_name = "deviations"

urlpatterns = [
    path("", views.DeviationListView.as_view(), name="list"),
    path("ny/", views.DeviationCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DeviationDetailView.as_view(), name="detail"),
    path("<int:pk>/andra/", views.DeviationUpdateView.as_view(), name="edit"),
    path("<int:pk>/steg/<slug:to>/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/kommentar/", views.CommentView.as_view(), name="comment"),
    path("<int:pk>/svar/", response_views.RespondView.as_view(), name="respond"),
    path(
        "<int:pk>/svar/<int:response>/ratta/",
        response_views.CorrectResponseView.as_view(),
        name="response_correct",
    ),
    path("<int:pk>/ta-bort-uppgifter/", views.RedactView.as_view(), name="redact"),
    path("<int:pk>/tilldela/", secretariat_views.assign, name="assign"),
    path("<int:pk>/bedomning/", secretariat_views.ReviewView.as_view(), name="review"),
    path("sekretariatet/", secretariat_views.QueueView.as_view(), name="queue"),
    path("statistik/", secretariat_views.StatisticsView.as_view(), name="statistics"),
    path("statistik/rapport.pdf", secretariat_views.statistics_pdf, name="statistics_pdf"),
    path("statistik/sammanstallning.csv", secretariat_views.statistics_csv, name="statistics_csv"),
    path("kategorier/", secretariat_views.CategoryListView.as_view(), name="categories"),
    path("kategorier/ny/", secretariat_views.CategoryCreateView.as_view(), name="category_create"),
    path(
        "kategorier/<int:pk>/", secretariat_views.CategoryUpdateView.as_view(), name="category_edit"
    ),
    path("notiser/<int:pk>/last/", views.notification_read, name="notification_read"),
]
